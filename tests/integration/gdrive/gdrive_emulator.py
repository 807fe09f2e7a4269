#!/usr/bin/python3
"""A Google Drive API v3 emulator for volback's gdrive suite (Python standard library only).

    gdrive_emulator.py --port 18120 --dir /var/tmp/volback-it-gdrive

Files live in DIR/blobs/<id>, their metadata in DIR/index.json (id, name, parents,
driveId, mimeType, createdTime, modifiedTime, size); upload sessions in DIR/sessions.
Listens on 127.0.0.1 only.

Endpoints (as Google's API reference describes them):
  POST   /token                              the OAuth 2.0 JWT-bearer grant (RFC 7523)
  POST   /upload/drive/v3/files?uploadType=resumable     files.create, resumable session
  PUT    <session URL>                       a chunk, or a status query (bytes */N, */*)
  DELETE <session URL>                       cancels the session (499, as Drive)
  GET    /drive/v3/files                     files.list (q, pageSize, pageToken, fields,
                                             supportsAllDrives, includeItemsFromAllDrives,
                                             corpora, driveId)
  GET    /drive/v3/files/<id>                files.get (fields), alt=media with Range
  DELETE /drive/v3/files/<id>                files.delete

Rules enforced (a request that breaks one is refused as Drive refuses it):
  - every API request carries "Authorization: Bearer <token>" with a token this emulator
    issued and that has not expired (else 401, Drive's error shape, reason authError);
  - the token request is a form POST with grant_type=urn:ietf:params:oauth:grant-type:
    jwt-bearer and an assertion whose header is {"alg":"RS256","typ":"JWT"}; the RS256
    signature is checked with the account's public key (pow(sig, e, n) against the
    PKCS#1 v1.5 encoding of the SHA-256 DigestInfo); iss must be a registered account;
    aud the token URL; scope must hold https://www.googleapis.com/auth/drive; iat within
    5 minutes of now; exp after now and at most 1 hour after iat; sub equal to the
    account's configured subject, and absent when none is configured
    (400 invalid_grant otherwise);
  - files.create needs uploadType=resumable, metadata with a name and exactly one
    parent that exists; an item in a shared drive needs supportsAllDrives=true (else
    404 notFound, as Drive answers);
  - a chunk needs Content-Range "bytes a-b/N" or "bytes a-b/*" starting where the
    session stands, a body of exactly b-a+1 bytes, and, unless it is the last, a length
    that is a multiple of 256 KiB; a total that contradicts X-Upload-Content-Length or
    an earlier total is refused (400); incomplete: 308 with "Range: bytes=0-k" (no
    Range when nothing is held); complete: 200 with the file's resource;
  - files.list parses q and accepts only the subset volback sends (terms joined by
    "and", parentheses: '<id>' in parents, name contains|= '<s>', trashed = false|true,
    mimeType =|!= '<s>'; anything else: 400 invalid q); pageSize 1..1000 (default 100);
    pageToken must be one it issued for the same query; corpora=drive needs driveId and
    includeItemsFromAllDrives=true, which needs supportsAllDrives=true; shared-drive
    files are listed only with includeItemsFromAllDrives=true;
  - fields selects what a resource holds; without it only kind, id, name, mimeType
    (Drive's default), so a client that forgets to ask gets no size or times;
  - files.get/delete of a shared-drive item without supportsAllDrives=true: 404;
    alt=media of a folder: 403 fileNotDownloadable; a Range past the end: 416.

Control endpoints for the tests (/_control/..., no authorization):
  POST /_control/account {"email", "n" (hex modulus), "e", "subject" (or null),
        "token_lifetime" (seconds a token really works, default 3600),
        "fail" [{"op": "chunk"|"list"|"get"|"media"|"create"|"delete"|"token",
                 "status": 503|429|403, "retry_after": s}] each used once,
        "drop_chunk_after": bytes (once: a chunk that would take the session past this
        many bytes is read partly, the 256 KiB-aligned part is kept, and the connection
        is closed without an answer)}
  POST /_control/folder {"id", "driveId" (optional)}
  POST /_control/backdate {"id", "createdTime"}
  GET  /_control/files?folder=ID     the folder's files, JSON list (all drives)
  GET  /_control/content?id=ID       a file's bytes
  GET  /_control/sessions            open upload sessions, JSON list
  GET  /_control/events?email=E      what happened for that account (tokens, drops, ...)
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK_UNIT = 256 * 1024
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive"
FOLDER_MIME = "application/vnd.google-apps.folder"
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
DEFAULT_FIELDS = ["kind", "id", "name", "mimeType"]

LOCK = threading.Lock()
STATE = {"dir": None, "port": 0, "files": {}, "accounts": {}, "tokens": {}, "sessions": {}, "events": {}}


def now_rfc3339(t=None):
    t = time.time() if t is None else t
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def save_index():
    path = os.path.join(STATE["dir"], "index.json")
    with open(path + ".tmp", "w") as f:
        json.dump(STATE["files"], f)
    os.replace(path + ".tmp", path)


def save_accounts():
    # Accounts outlive a restart of the emulator (the server-killed scenario); tokens do not.
    path = os.path.join(STATE["dir"], "accounts.json")
    plain = {k: dict(v, n=format(v["n"], "x"), fail=[]) for k, v in STATE["accounts"].items()}
    with open(path + ".tmp", "w") as f:
        json.dump(plain, f)
    os.replace(path + ".tmp", path)


def event(email, what):
    STATE["events"].setdefault(email, []).append(what)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rs256_ok(signing_input, signature, n, e):
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return em == expected


class DriveError(Exception):
    def __init__(self, code, reason, message, headers=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.headers = code, reason, message, headers or {}


def not_found(file_id):
    return DriveError(404, "notFound", "File not found: %s." % file_id)


# ---- q: the subset of Drive's query language volback sends -------------------------

TOKEN_RE = re.compile(r"\s*(?:('(?:[^'\\]|\\.)*')|(!=|=|\(|\))|([A-Za-z]+))")


def tokenize(q):
    tokens, at = [], 0
    while at < len(q):
        if q[at:].strip() == "":
            break
        m = TOKEN_RE.match(q, at)
        if not m:
            raise DriveError(400, "invalid", "Invalid Value")
        if m.group(1) is not None:
            tokens.append(("str", re.sub(r"\\(.)", r"\1", m.group(1)[1:-1])))
        elif m.group(2) is not None:
            tokens.append(("op", m.group(2)))
        else:
            tokens.append(("word", m.group(3)))
        at = m.end()
    return tokens


def parse_q(q):
    """A list of predicates, all of which must hold; 400 for anything else."""
    tokens = [t for t in tokenize(q) if t[0] != "op" or t[1] not in "()"]
    preds, i = [], 0

    def bad():
        raise DriveError(400, "invalid", "Invalid Value")

    while i < len(tokens):
        if preds:
            if tokens[i] != ("word", "and"):
                bad()
            i += 1
        term = tokens[i:i + 3]
        if len(term) < 3:
            bad()
        a, op, b = term
        if a[0] == "str" and op == ("word", "in") and b == ("word", "parents"):
            preds.append(lambda f, v=a[1]: v in f.get("parents", []))
        elif a == ("word", "name") and op == ("word", "contains") and b[0] == "str":
            # Drive matches name prefixes (of the name and of its words).
            preds.append(lambda f, v=b[1]: f["name"].startswith(v) or
                         any(w.startswith(v) for w in re.split(r"[^A-Za-z0-9]+", f["name"])))
        elif a == ("word", "name") and op == ("op", "=") and b[0] == "str":
            preds.append(lambda f, v=b[1]: f["name"] == v)
        elif a == ("word", "trashed") and op == ("op", "=") and b in (("word", "false"), ("word", "true")):
            preds.append(lambda f, v=(b[1] == "true"): f.get("trashed", False) == v)
        elif a == ("word", "mimeType") and op in (("op", "="), ("op", "!=")) and b[0] == "str":
            if op[1] == "=":
                preds.append(lambda f, v=b[1]: f["mimeType"] == v)
            else:
                preds.append(lambda f, v=b[1]: f["mimeType"] != v)
        else:
            bad()
        i += 3
    return preds


def parse_fields(fields):
    """(top-level names, file fields) of a fields parameter like nextPageToken,files(id,name)."""
    top, inner = set(), None
    if not fields:
        return {"files", "nextPageToken", "kind", "incompleteSearch"}, list(DEFAULT_FIELDS)
    m = re.fullmatch(r"\s*(.*?)files\(([^()]*)\)(.*)", fields)
    rest = fields
    if m:
        inner = [x.strip() for x in m.group(2).split(",") if x.strip()]
        rest = m.group(1) + m.group(3)
        top.add("files")
    for x in rest.split(","):
        if x.strip():
            top.add(x.strip())
    return top, inner


def resource(f, fields):
    full = {"kind": "drive#file", "id": f["id"], "name": f["name"], "mimeType": f["mimeType"],
            "parents": f["parents"], "createdTime": f["createdTime"], "modifiedTime": f["modifiedTime"],
            "trashed": f.get("trashed", False)}
    if f["mimeType"] != FOLDER_MIME:
        full["size"] = str(f["size"])  # int64 format: a string
    if f.get("driveId"):
        full["driveId"] = f["driveId"]
    if fields == "*":
        return full
    return {k: full[k] for k in fields if k in full}


def file_fields(fields):
    if not fields:
        return list(DEFAULT_FIELDS)
    if fields == "*":
        return "*"
    return [x.strip() for x in fields.split(",") if x.strip()]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing ---------------------------------------------------------------------

    def reply(self, status, body=None, headers=None):
        data = b""
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None and not isinstance(body, bytes):
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def drive_error(self, err):
        body = {"error": {"code": err.code, "message": err.message,
                          "errors": [{"message": err.message, "domain": "global", "reason": err.reason}]}}
        self.reply(err.code, body, err.headers)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        path = url.path
        try:
            if path.startswith("/_control/"):
                return self.control(path[len("/_control/"):])
            if path == "/token" and self.command == "POST":
                return self.token()
            account = self.authorize()
            if path == "/upload/drive/v3/files":
                if "upload_id" in self.query:
                    return self.session(account)
                if self.command == "POST":
                    return self.create(account)
            elif path == "/drive/v3/files" and self.command == "GET":
                return self.list(account)
            elif path.startswith("/drive/v3/files/"):
                file_id = urllib.parse.unquote(path[len("/drive/v3/files/"):])
                if self.command == "GET":
                    return self.get(account, file_id)
                if self.command == "DELETE":
                    return self.delete(account, file_id)
            raise DriveError(404, "notFound", "Not Found")
        except DriveError as err:
            self.body_drained()
            self.drive_error(err)

    def body_drained(self):
        # An answer before the body was read: read it, so the connection stays usable.
        if not getattr(self, "_read", False) and self.command in ("PUT", "POST"):
            self._read = True
            self.body()

    do_GET = do_POST = do_PUT = do_DELETE = route

    def bool_param(self, name):
        return self.query.get(name, "false") == "true"

    def injected(self, account, op):
        for rule in account.get("fail", []):
            if rule["op"] == op:
                account["fail"].remove(rule)
                event(account["email"], "failed %s with %d" % (op, rule["status"]))
                headers = {"Retry-After": str(rule["retry_after"])} if rule.get("retry_after") is not None else {}
                reason = {429: "rateLimitExceeded", 403: "rateLimitExceeded"}.get(rule["status"], "backendError")
                raise DriveError(rule["status"], reason, "injected failure", headers)

    # ---- authorization ------------------------------------------------------------------

    def token(self):
        self._read = True
        form = dict(urllib.parse.parse_qsl(self.body().decode("latin-1")))

        def refuse(why, error="invalid_grant"):
            raise DriveError(400, error, why)

        try:
            if form.get("grant_type") != JWT_GRANT:
                refuse("Invalid grant_type", "unsupported_grant_type")
            parts = form.get("assertion", "").split(".")
            if len(parts) != 3:
                refuse("Invalid JWT")
            try:
                header = json.loads(b64url_decode(parts[0]))
                claims = json.loads(b64url_decode(parts[1]))
                signature = b64url_decode(parts[2])
            except ValueError:
                refuse("Invalid JWT")
            if header.get("alg") != "RS256" or header.get("typ") != "JWT":
                refuse("Invalid JWT header")
            with LOCK:
                account = STATE["accounts"].get(claims.get("iss"))
            if account is None:
                refuse("Invalid JWT: no such account")
            if not rs256_ok((parts[0] + "." + parts[1]).encode(), signature, account["n"], account["e"]):
                event(account["email"], "bad signature")
                refuse("Invalid JWT Signature.")
            if account.get("fail"):
                self.injected(account, "token")
            now = time.time()
            if claims.get("aud") != "http://127.0.0.1:%d/token" % STATE["port"]:
                refuse("Invalid JWT: aud")
            if DRIVE_SCOPE not in str(claims.get("scope", "")).split(" "):
                refuse("Invalid JWT: scope", "invalid_scope")
            iat, exp = claims.get("iat"), claims.get("exp")
            if not isinstance(iat, int) or not isinstance(exp, int) or abs(iat - now) > 300 or \
                    exp <= now or exp - iat > 3600:
                refuse("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
            if claims.get("sub") != account.get("subject"):
                event(account["email"], "wrong subject")
                refuse("Invalid email or User ID", "unauthorized_client")
        except DriveError as err:
            return self.reply(err.code, {"error": err.reason, "error_description": err.message}, err.headers)
        token = "ya29." + secrets.token_urlsafe(24)
        with LOCK:
            STATE["tokens"][token] = (account["email"], now + account.get("token_lifetime", 3600))
            event(account["email"], "token")
        self.reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def authorize(self):
        auth = self.headers.get("Authorization", "")
        with LOCK:
            entry = STATE["tokens"].get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
            if entry and entry[1] > time.time():
                return STATE["accounts"][entry[0]]
            if entry:
                event(entry[0], "expired token refused")
        raise DriveError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access "
                         "token, login cookie or other valid authentication credential.",
                         {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})

    # ---- files -------------------------------------------------------------------------

    def visible(self, f):
        """Whether a request may see `f` by id (shared-drive items need supportsAllDrives)."""
        return f is not None and (not f.get("driveId") or self.bool_param("supportsAllDrives"))

    def create(self, account):
        self._read = True
        raw = self.body()
        if self.query.get("uploadType") != "resumable":
            raise DriveError(400, "badRequest", "Only uploadType=resumable is implemented")
        self.injected(account, "create")
        try:
            meta = json.loads(raw or b"{}")
        except ValueError:
            raise DriveError(400, "parseError", "Parse Error")
        parents = meta.get("parents")
        if not isinstance(meta.get("name"), str) or not meta["name"]:
            raise DriveError(400, "required", "Required: name")
        if not isinstance(parents, list) or len(parents) != 1:
            raise DriveError(400, "invalid", "A file must have exactly one parent")
        with LOCK:
            parent = STATE["files"].get(parents[0])
            if parent is None or parent["mimeType"] != FOLDER_MIME or not self.visible(parent):
                raise not_found(parents[0])
            length = self.headers.get("X-Upload-Content-Length")
            upload_id = secrets.token_urlsafe(18)
            STATE["sessions"][upload_id] = {
                "email": account["email"], "name": meta["name"], "parent": parents[0],
                "driveId": parent.get("driveId"), "received": 0,
                "total": int(length) if length is not None else None,
                "mime": self.headers.get("X-Upload-Content-Type", "application/octet-stream"),
                "fields": self.query.get("fields")}
            open(os.path.join(STATE["dir"], "sessions", upload_id), "wb").close()
        location = "http://127.0.0.1:%d/upload/drive/v3/files?uploadType=resumable&upload_id=%s" % (
            STATE["port"], upload_id)
        self.reply(200, b"", {"Location": location})

    def session(self, account):
        upload_id = self.query["upload_id"]
        with LOCK:
            s = STATE["sessions"].get(upload_id)
        if s is None or s["email"] != account["email"]:
            raise DriveError(404, "notFound", "No such upload session")
        if self.command == "DELETE":
            with LOCK:
                STATE["sessions"].pop(upload_id, None)
            os.unlink(os.path.join(STATE["dir"], "sessions", upload_id))
            return self.reply(499, b"")
        if self.command != "PUT":
            raise DriveError(400, "badRequest", "Invalid request")
        cr = self.headers.get("Content-Range", "")
        length = int(self.headers.get("Content-Length") or 0)
        m = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)", cr)
        if not m:
            raise DriveError(400, "badContent", "Invalid Content-Range")
        total = None if m.group(3) == "*" else int(m.group(3))
        if total is not None and s["total"] is not None and total != s["total"]:
            raise DriveError(400, "badContent", "The total contradicts the declared upload size")
        if m.group(1) is None:  # a status query
            if length:
                raise DriveError(400, "badContent", "A status query has no body")
            if total is not None:
                s["total"] = total
            return self.progress(s, upload_id)
        first, last = int(m.group(1)), int(m.group(2))
        if first != s["received"]:
            raise DriveError(400, "badContent", "Content-Range starts at %d, the session holds %d" % (first, s["received"]))
        if last < first or length != last - first + 1:
            raise DriveError(400, "badContent", "Content-Range does not match Content-Length")
        if total is not None and last + 1 > total:
            raise DriveError(400, "badContent", "Content-Range past the total")
        final = total is not None and last + 1 == total
        if not final and length % CHUNK_UNIT:
            raise DriveError(400, "badContent", "Invalid request. The number of bytes uploaded is required to be "
                             "a multiple of 262144 bytes, except for the final request.")
        self.injected(account, "chunk")
        path = os.path.join(STATE["dir"], "sessions", upload_id)
        drop = account.get("drop_chunk_after")
        self._read = True
        if drop is not None and s["received"] + length > drop:
            account["drop_chunk_after"] = None
            keep = max(0, (drop - s["received"]) // CHUNK_UNIT * CHUNK_UNIT)
            keep = min(keep, length)
            data = self.rfile.read(keep)
            with open(path, "ab") as f:
                f.write(data)
            with LOCK:
                s["received"] += len(data)
                event(account["email"], "dropped at %d" % s["received"])
            self.close_connection = True
            self.connection.shutdown(2)
            return
        with open(path, "ab") as f:
            left = length
            while left:
                data = self.rfile.read(min(left, 1 << 20))
                if not data:
                    raise DriveError(400, "badContent", "The body ended early")
                f.write(data)
                left -= len(data)
        with LOCK:
            s["received"] += length
            if total is not None:
                s["total"] = total
        return self.progress(s, upload_id)

    def progress(self, s, upload_id):
        if s["total"] is not None and s["received"] == s["total"]:
            return self.complete(s, upload_id)
        headers = {"Range": "bytes=0-%d" % (s["received"] - 1)} if s["received"] else {}
        self.reply(308, b"", headers)

    def complete(self, s, upload_id):
        file_id = "f" + secrets.token_hex(12)
        now = now_rfc3339()
        f = {"id": file_id, "name": s["name"], "parents": [s["parent"]], "mimeType": s["mime"],
             "createdTime": now, "modifiedTime": now, "size": s["received"], "owner": s["email"]}
        if s.get("driveId"):
            f["driveId"] = s["driveId"]
        os.replace(os.path.join(STATE["dir"], "sessions", upload_id), os.path.join(STATE["dir"], "blobs", file_id))
        with LOCK:
            STATE["sessions"].pop(upload_id, None)
            STATE["files"][file_id] = f
            save_index()
        self.reply(200, resource(f, file_fields(s["fields"])))

    def list(self, account):
        self.injected(account, "list")
        q = self.query
        preds = parse_q(q.get("q", ""))
        page_size = int(q.get("pageSize", "100"))
        if not 1 <= page_size <= 1000:
            raise DriveError(400, "invalid", "Invalid value for pageSize")
        all_drives = self.bool_param("includeItemsFromAllDrives")
        if all_drives and not self.bool_param("supportsAllDrives"):
            raise DriveError(403, "teamDrivesParameterNotSupported",
                             "includeItemsFromAllDrives requires supportsAllDrives=true")
        corpora = q.get("corpora", "user")
        drive_id = q.get("driveId")
        if corpora == "drive":
            if not drive_id or not all_drives:
                raise DriveError(400, "invalid", "corpora=drive needs driveId and includeItemsFromAllDrives=true")
        elif drive_id:
            raise DriveError(400, "invalid", "driveId needs corpora=drive")
        elif corpora not in ("user", "allDrives"):
            raise DriveError(400, "invalid", "Invalid corpora")
        top, inner = parse_fields(q.get("fields"))
        with LOCK:
            files = sorted(STATE["files"].values(), key=lambda f: (f["createdTime"], f["id"]))
        out = []
        for f in files:
            if corpora == "drive" and f.get("driveId") != drive_id:
                continue
            if f.get("driveId") and not all_drives:
                continue
            if all(p(f) for p in preds):
                out.append(f)
        start = 0
        digest = hashlib.sha256(json.dumps(sorted(q.items()), ensure_ascii=True).encode()).hexdigest()[:12]
        if q.get("pageToken"):
            m = re.fullmatch(r"p(\d+)\.([0-9a-f]{12})", q["pageToken"])
            query_without = dict(q)
            query_without.pop("pageToken")
            expect = hashlib.sha256(json.dumps(sorted(query_without.items()), ensure_ascii=True).encode()).hexdigest()[:12]
            if not m or m.group(2) != expect:
                raise DriveError(400, "invalid", "Invalid Value: pageToken")
            start = int(m.group(1))
        else:
            expect = digest
        page = out[start:start + page_size]
        body = {"kind": "drive#fileList", "incompleteSearch": False}
        if "files" in top:
            body["files"] = [resource(f, inner if inner is not None else DEFAULT_FIELDS) for f in page]
        if start + page_size < len(out) and "nextPageToken" in top:
            body["nextPageToken"] = "p%d.%s" % (start + page_size, expect)
        self.reply(200, {k: v for k, v in body.items() if k in top})

    def get(self, account, file_id):
        with LOCK:
            f = STATE["files"].get(file_id)
        if not self.visible(f):
            raise not_found(file_id)
        if self.query.get("alt") != "media":
            self.injected(account, "get")
            return self.reply(200, resource(f, file_fields(self.query.get("fields"))))
        self.injected(account, "media")
        if f["mimeType"] == FOLDER_MIME:
            raise DriveError(403, "fileNotDownloadable", "Only files with binary content can be downloaded.")
        size = f["size"]
        first, last, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if rng:
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng)
            if not m:
                raise DriveError(400, "badRange", "Invalid Range")
            first = int(m.group(1))
            last = min(int(m.group(2)) if m.group(2) else size - 1, size - 1)
            if first >= size:
                return self.reply(416, b"", {"Content-Range": "bytes */%d" % size})
            status = 206
        with open(os.path.join(STATE["dir"], "blobs", file_id), "rb") as blob:
            blob.seek(first)
            data = blob.read(last - first + 1) if size else b""
        headers = {"Content-Type": f["mimeType"]}
        if status == 206:
            headers["Content-Range"] = "bytes %d-%d/%d" % (first, last, size)
        self.reply(status, data, headers)

    def delete(self, account, file_id):
        self.injected(account, "delete")
        with LOCK:
            f = STATE["files"].get(file_id)
            if not self.visible(f):
                raise not_found(file_id)
            del STATE["files"][file_id]
            save_index()
        try:
            os.unlink(os.path.join(STATE["dir"], "blobs", file_id))
        except FileNotFoundError:
            pass
        self.reply(204)

    # ---- control -------------------------------------------------------------------------

    def control(self, what):
        self._read = True
        data = json.loads(self.body() or b"{}") if self.command == "POST" else {}
        with LOCK:
            if what == "account":
                account = dict(data)
                account["n"] = int(data["n"], 16)
                account["e"] = int(data.get("e", 65537))
                account.setdefault("fail", [])
                STATE["accounts"][data["email"]] = account
                STATE["events"][data["email"]] = []
                save_accounts()
                return self.reply(200, {})
            if what == "folder":
                now = now_rfc3339()
                STATE["files"][data["id"]] = {"id": data["id"], "name": data.get("name", data["id"]), "parents": [],
                                              "mimeType": FOLDER_MIME, "createdTime": now, "modifiedTime": now,
                                              "size": 0, "driveId": data.get("driveId")}
                save_index()
                return self.reply(200, {})
            if what == "backdate":
                STATE["files"][data["id"]]["createdTime"] = data["createdTime"]
                save_index()
                return self.reply(200, {})
            if what == "files":
                folder = self.query.get("folder")
                found = [resource(f, "*") for f in STATE["files"].values() if folder in f["parents"]]
                return self.reply(200, sorted(found, key=lambda f: f["name"]))
            if what == "sessions":
                return self.reply(200, [{"name": s["name"], "received": s["received"], "email": s["email"]}
                                        for s in STATE["sessions"].values()])
            if what == "events":
                return self.reply(200, STATE["events"].get(self.query.get("email"), []))
        if what == "content":
            file_id = self.query.get("id", "")
            if file_id not in STATE["files"]:
                return self.reply(404, b"")
            with open(os.path.join(STATE["dir"], "blobs", file_id), "rb") as blob:
                return self.reply(200, blob.read())
        return self.reply(404, b"")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18120)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    STATE["dir"], STATE["port"] = args.dir, args.port
    for sub in ("blobs", "sessions"):
        os.makedirs(os.path.join(args.dir, sub), exist_ok=True)
    index = os.path.join(args.dir, "index.json")
    if os.path.exists(index):
        with open(index) as f:
            STATE["files"] = json.load(f)
    accounts = os.path.join(args.dir, "accounts.json")
    if os.path.exists(accounts):
        with open(accounts) as f:
            STATE["accounts"] = {k: dict(v, n=int(v["n"], 16)) for k, v in json.load(f).items()}
    root = {"id": "root", "name": "My Drive", "parents": [], "mimeType": FOLDER_MIME,
            "createdTime": now_rfc3339(), "modifiedTime": now_rfc3339(), "size": 0}
    STATE["files"].setdefault("root", root)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
