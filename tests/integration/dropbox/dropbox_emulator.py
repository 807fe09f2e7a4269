#!/usr/bin/python3
"""A local emulator of the Dropbox API v2 subset volback uses, for the dropbox suite.

Standard library only. Files live under DIR/files/<dropbox path>; a file's server_modified
is its mtime (tests backdate with touch). Upload sessions live under DIR/sessions/.

Usage: dropbox_emulator.py --port 18110 --dir DIR [--app-key K --app-secret S --refresh-token R]

Endpoints (all POST):
  /oauth2/token                       grant_type=refresh_token; client credentials as HTTP
                                      basic auth or client_id/client_secret form fields
  /2/files/upload                     content: one request, at most 150 MiB
  /2/files/upload_session/start       content
  /2/files/upload_session/append_v2   content
  /2/files/upload_session/finish      content
  /2/files/download                   content, with an optional Range header (206)
  /2/files/list_folder                rpc, pages of at most --page-size entries
  /2/files/list_folder/continue       rpc
  /2/files/get_metadata               rpc
  /2/files/delete_v2                  rpc
  /2/files/create_folder_v2           rpc
  /_control                           test control: JSON {"token_ttl": s} (lifetime of the
                                      tokens issued from now on; "token_ttl_reported": what
                                      their expires_in says), {"fault": {...}} (queue a
                                      fault), {"reset": true}; GET /_control/stats: counters

Rules enforced, as the API reference documents them (a volback bug fails the test):
  - oauth2/token: the app key and secret must match (401 invalid_client), the refresh
    token too (400 invalid_grant); the answer is {"access_token", "token_type": "bearer",
    "expires_in"}.
  - Every /2/ call needs "Authorization: Bearer <token>" with a token this emulator issued:
    401 invalid_access_token otherwise, 401 expired_access_token once its lifetime is over.
  - RPC calls need "Content-Type: application/json" and a JSON object body (400 otherwise).
  - Content calls need the Dropbox-API-Arg header holding a JSON object in ASCII (non-ASCII
    must be escaped); uploads need "Content-Type: application/octet-stream" (400).
  - Paths start with '/', have no empty component and no trailing '/' (400); "" is the
    root and only list_folder takes it.
  - A request body over 150 MiB: 409 payload_too_large.
  - upload_session/start with session_type concurrent may carry no data
    (concurrent_session_data_not_allowed) and not close (concurrent_session_close_not_allowed).
  - append_v2 to an unknown session: not_found; to a closed one: closed. Sequential: the
    offset must be the bytes received so far (incorrect_offset with correct_offset).
    Concurrent: the offset must be a multiple of 4 MiB (concurrent_session_invalid_offset)
    and the data too unless close is true (concurrent_session_invalid_data_size); resending
    the same offset and length replaces the bytes.
  - finish: concurrent sessions take no data (concurrent_session_data_not_allowed), must be
    closed (concurrent_session_not_closed) and have every byte up to the end
    (concurrent_session_missing_data); the cursor's offset must be the session's size
    (incorrect_offset). The file appears under the commit path only then, written
    atomically; mode add refuses an existing file (path/conflict/file). The session is gone
    afterwards (not_found).
  - get_metadata, download, delete_v2, list_folder of a missing path: 409 path/not_found
    (delete: path_lookup/not_found); list_folder of a file: path/not_folder;
    create_folder_v2 of an existing path: path/conflict/folder (or file).
  - An unknown list_folder/continue cursor: 409 reset.
Errors have Dropbox's shape: {"error_summary": "path/not_found/..", "error": {".tag": ...}}.

Faults ({"fault": {...}} on /_control): {"route": "files/upload_session/append_v2",
"status": 429, "retry_after": 1} answers the next matching call with 429 and Retry-After
(or any status, e.g. 500, 503); {"route": ..., "drop": true} reads half of the next
matching request's body and closes the connection without an answer; {"route": ...,
"lose_reply": true} carries the next matching call out and then closes the connection
without its answer (a retried sequential append then meets incorrect_offset). "count" (default 1)
repeats it; "match" limits it to calls whose argument holds that text.
Simplification: paths are case-sensitive (Dropbox compares them case-insensitively).
"""

import argparse
import base64
import hashlib
import itertools
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MIB = 1024 * 1024
MAX_REQUEST = 150 * MIB
CONCURRENT_UNIT = 4 * MIB

RPC_ROUTES = {"files/list_folder", "files/list_folder/continue", "files/get_metadata", "files/delete_v2",
              "files/create_folder_v2"}
UPLOAD_ROUTES = {"files/upload", "files/upload_session/start", "files/upload_session/append_v2",
                 "files/upload_session/finish"}
CONTENT_ROUTES = UPLOAD_ROUTES | {"files/download"}


class ApiError(Exception):
    def __init__(self, status, summary, error=None, headers=None, text=None):
        super().__init__(summary)
        self.status = status
        self.summary = summary
        self.error = error if error is not None else {".tag": summary.split("/")[0]}
        self.headers = headers or {}
        self.text = text


def conflict(summary, error):
    return ApiError(409, summary + "/..", error)


def bad_request(route, why):
    return ApiError(400, "", text='Error in call to API function "%s": %s' % (route, why))


class State:
    def __init__(self, root, app_key, app_secret, refresh_token, page_size):
        self.root = root
        self.files = os.path.join(root, "files")
        self.sessions_dir = os.path.join(root, "sessions")
        os.makedirs(self.files, exist_ok=True)
        shutil.rmtree(self.sessions_dir, ignore_errors=True)
        os.makedirs(self.sessions_dir, exist_ok=True)
        self.app_key = app_key
        self.app_secret = app_secret
        self.refresh_token = refresh_token
        self.page_size = page_size
        self.lock = threading.Lock()
        self.tokens = {}  # token -> expiry (time.monotonic())
        self.token_ttl = 14400
        self.token_ttl_reported = None  # what expires_in says; None: the true lifetime
        self.sessions = {}  # id -> dict
        self.cursors = {}  # cursor -> (entries, position)
        self.faults = []
        self.stats = {}
        self.ids = itertools.count(1)

    def count(self, name):
        with self.lock:
            self.stats[name] = self.stats.get(name, 0) + 1

    def take_fault(self, route, arg_text):
        with self.lock:
            for fault in self.faults:
                if fault.get("route", route) != route or fault.get("match", "") not in arg_text:
                    continue
                fault["count"] = fault.get("count", 1) - 1
                if fault["count"] <= 0:
                    self.faults.remove(fault)
                self.stats["faults"] = self.stats.get("faults", 0) + 1
                return dict(fault)
        return None


def check_path(route, path, root_ok=False):
    if not isinstance(path, str):
        raise bad_request(route, "request body: path: expected a string")
    if path == "" and root_ok:
        return path
    if not path.startswith("/") or path.endswith("/") or "//" in path or "/../" in path + "/" or "\0" in path:
        raise bad_request(route, "request body: path: '%s' did not match pattern" % path)
    return path


def utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(seconds)))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set by main

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing ----
    def reply(self, status, body=b"", content_type="application/json", headers=None):
        if getattr(self, "lose_reply", False):
            # The request took effect; its answer is lost with the connection.
            self.lose_reply = False
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def reply_error(self, error):
        if error.text is not None:
            self.reply(error.status, error.text, "text/plain; charset=utf-8", error.headers)
        else:
            self.reply(error.status, {"error_summary": error.summary, "error": error.error}, headers=error.headers)

    def body_length(self):
        return int(self.headers.get("Content-Length") or 0)

    def disk(self, path):
        return os.path.join(self.state.files, path.lstrip("/"))

    def metadata(self, path):
        full = self.disk(path)
        name = path.rsplit("/", 1)[-1]
        ident = "id:" + hashlib.sha1(path.encode()).hexdigest()[:16]
        if os.path.isdir(full):
            return {".tag": "folder", "name": name, "path_lower": path.lower(), "path_display": path, "id": ident}
        st = os.stat(full)
        return {".tag": "file", "name": name, "path_lower": path.lower(), "path_display": path, "id": ident,
                "client_modified": utc(st.st_mtime), "server_modified": utc(st.st_mtime),
                "rev": "%015x" % int(st.st_mtime_ns // 1000), "size": st.st_size, "is_downloadable": True}

    # ---- requests ----
    def do_GET(self):
        if self.path == "/_control/stats":
            with self.state.lock:
                self.reply(200, dict(self.state.stats))
            return
        self.reply(404, "not found", "text/plain")

    def do_POST(self):
        route = self.path.split("?", 1)[0]
        length = self.body_length()
        if length > MAX_REQUEST:
            self.close_connection = True
            self.reply_error(conflict("payload_too_large", {".tag": "payload_too_large"}))
            return
        if route == "/_control":
            self.control(json.loads(self.rfile.read(length) or b"{}"))
            return
        if route == "/oauth2/token":
            self.token(self.rfile.read(length))
            return
        if not route.startswith("/2/") or route[3:] not in RPC_ROUTES | CONTENT_ROUTES:
            self.rfile.read(length)
            self.reply(404, "Unknown API function: %s" % route, "text/plain")
            return
        route = route[3:]
        arg_text = self.headers.get("Dropbox-API-Arg", "") if route in CONTENT_ROUTES else ""
        fault = self.state.take_fault(route, arg_text)
        if fault and fault.get("drop"):
            self.rfile.read(length // 2)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        body = self.rfile.read(length)
        self.state.count(route)
        if fault and fault.get("lose_reply"):
            self.lose_reply = True
            fault = None
        try:
            if fault:
                status = fault.get("status", 500)
                if status == 429:
                    after = fault.get("retry_after", 1)
                    raise ApiError(429, "too_many_requests/..",
                                   {"reason": {".tag": "too_many_requests"}, "retry_after": after},
                                   {"Retry-After": str(after)})
                raise ApiError(status, "", text="Internal Server Error (injected)")
            self.authorize()
            if route in CONTENT_ROUTES:
                arg = self.content_arg(route, arg_text)
            else:
                arg = self.rpc_arg(route, body)
            handler = getattr(self, "r_" + route.replace("files/", "").replace("/", "_"))
            handler(route, arg, body)
        except ApiError as error:
            self.reply_error(error)

    def control(self, command):
        with self.state.lock:
            if command.get("reset"):
                self.state.faults.clear()
                self.state.stats.clear()
                self.state.token_ttl = 14400
                self.state.token_ttl_reported = None
            if "token_ttl" in command:
                self.state.token_ttl = float(command["token_ttl"])
            if "token_ttl_reported" in command:
                self.state.token_ttl_reported = command["token_ttl_reported"]
            if "fault" in command:
                self.state.faults.append(dict(command["fault"]))
        self.reply(200, {})

    def token(self, raw):
        self.state.count("oauth2/token")
        form = urllib.parse.parse_qs(raw.decode("ascii", "replace"))
        client_id = form.get("client_id", [None])[0]
        client_secret = form.get("client_secret", [None])[0]
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                client_id, client_secret = base64.b64decode(auth[6:]).decode().split(":", 1)
            except (ValueError, UnicodeDecodeError):
                pass
        if client_id != self.state.app_key or client_secret != self.state.app_secret:
            self.reply(401, {"error": "invalid_client", "error_description": "Invalid client_id or client_secret"})
            return
        if form.get("grant_type", [None])[0] != "refresh_token":
            self.reply(400, {"error": "unsupported_grant_type", "error_description": "grant_type is not supported"})
            return
        if form.get("refresh_token", [None])[0] != self.state.refresh_token:
            self.reply(400, {"error": "invalid_grant", "error_description": "refresh token is invalid or revoked"})
            return
        token = "sl.emu-" + base64.urlsafe_b64encode(os.urandom(18)).decode()
        with self.state.lock:
            ttl = self.state.token_ttl
            reported = self.state.token_ttl_reported if self.state.token_ttl_reported is not None else ttl
            self.state.tokens[token] = time.monotonic() + ttl
            self.state.stats["tokens_issued"] = self.state.stats.get("tokens_issued", 0) + 1
        self.reply(200, {"access_token": token, "token_type": "bearer", "expires_in": max(1, int(reported))})

    def authorize(self):
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        with self.state.lock:
            expiry = self.state.tokens.get(token)
        if expiry is None:
            raise ApiError(401, "invalid_access_token/..", {".tag": "invalid_access_token"})
        if time.monotonic() >= expiry:
            self.state.count("expired_token_refused")
            raise ApiError(401, "expired_access_token/..", {".tag": "expired_access_token"})

    def content_arg(self, route, text):
        if not text:
            raise bad_request(route, "missing Dropbox-API-Arg header")
        if any(ord(c) > 127 for c in text):
            raise bad_request(route, "Dropbox-API-Arg header must be ASCII (escape other characters)")
        try:
            arg = json.loads(text)
        except ValueError:
            raise bad_request(route, "could not decode input as JSON")
        if not isinstance(arg, dict):
            raise bad_request(route, "Dropbox-API-Arg is not a JSON object")
        if route in UPLOAD_ROUTES and self.headers.get("Content-Type") != "application/octet-stream":
            raise bad_request(route, "Bad HTTP \"Content-Type\" header: expecting application/octet-stream")
        return arg

    def rpc_arg(self, route, body):
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/json":
            raise bad_request(route, "Bad HTTP \"Content-Type\" header: expecting application/json")
        try:
            arg = json.loads(body)
        except ValueError:
            raise bad_request(route, "request body: could not decode input as JSON")
        if not isinstance(arg, dict):
            raise bad_request(route, "request body: expected an object")
        return arg

    # ---- files ----
    def commit_file(self, path, source, mode):
        check_path("commit", path)
        full = self.disk(path)
        mode_tag = (mode or {}).get(".tag", "add") if isinstance(mode, dict) else mode or "add"
        if os.path.isdir(full):
            raise conflict("path/conflict/folder", {".tag": "path", "reason": {".tag": "conflict"}})
        if os.path.exists(full) and mode_tag == "add":
            raise conflict("path/conflict/file", {".tag": "path", "reason": {".tag": "conflict"}})
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.replace(source, full)
        return self.metadata(path)

    def r_upload(self, route, arg, body):
        path = check_path(route, arg.get("path"))
        fd, tmp = tempfile.mkstemp(dir=self.state.sessions_dir)
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        try:
            self.reply(200, self.commit_file(path, tmp, arg.get("mode")))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def session(self, route, cursor):
        if not isinstance(cursor, dict) or not isinstance(cursor.get("session_id"), str) or \
                not isinstance(cursor.get("offset"), int):
            raise bad_request(route, "request body: cursor: expected session_id and offset")
        with self.state.lock:
            session = self.state.sessions.get(cursor["session_id"])
        if session is None:
            raise conflict("not_found", {".tag": "not_found"})
        return session

    def r_upload_session_start(self, route, arg, body):
        concurrent = (arg.get("session_type") or {}).get(".tag") == "concurrent"
        if concurrent and body:
            raise conflict("concurrent_session_data_not_allowed", {".tag": "concurrent_session_data_not_allowed"})
        if concurrent and arg.get("close"):
            raise conflict("concurrent_session_close_not_allowed", {".tag": "concurrent_session_close_not_allowed"})
        sid = "emu-session-%d-%s" % (next(self.state.ids), os.urandom(4).hex())
        data = os.path.join(self.state.sessions_dir, sid)
        with open(data, "wb") as out:
            out.write(body)
        session = {"id": sid, "file": data, "concurrent": concurrent, "closed": bool(arg.get("close")),
                   "size": len(body), "ranges": {0: len(body)} if body else {}, "lock": threading.Lock()}
        with self.state.lock:
            self.state.sessions[sid] = session
        self.reply(200, {"session_id": sid})

    def write_at(self, session, offset, body):
        with open(session["file"], "r+b") as out:
            out.seek(offset)
            out.write(body)

    def r_upload_session_append_v2(self, route, arg, body):
        session = self.session(route, arg.get("cursor"))
        offset = arg["cursor"]["offset"]
        close = bool(arg.get("close"))
        with session["lock"]:
            if session["closed"]:
                raise conflict("closed", {".tag": "closed"})
            if session["concurrent"]:
                if offset % CONCURRENT_UNIT:
                    raise conflict("concurrent_session_invalid_offset",
                                   {".tag": "concurrent_session_invalid_offset"})
                if len(body) % CONCURRENT_UNIT and not close:
                    raise conflict("concurrent_session_invalid_data_size",
                                   {".tag": "concurrent_session_invalid_data_size"})
                previous = session["ranges"].get(offset)
                if previous is not None and previous != len(body):
                    raise conflict("concurrent_session_invalid_data_size",
                                   {".tag": "concurrent_session_invalid_data_size"})
                session["ranges"][offset] = len(body)
                session["size"] = max(session["size"], offset + len(body))
            else:
                if offset != session["size"]:
                    raise conflict("incorrect_offset",
                                   {".tag": "incorrect_offset", "correct_offset": session["size"]})
                session["size"] += len(body)
            if close:
                session["closed"] = True
            # Written under the session's lock: the file grows to the largest offset seen.
            self.write_at(session, offset, body)
        self.reply(200, b"null")

    def r_upload_session_finish(self, route, arg, body):
        session = self.session(route, arg.get("cursor"))
        offset = arg["cursor"]["offset"]
        commit = arg.get("commit")
        if not isinstance(commit, dict):
            raise bad_request(route, "request body: commit: expected an object")
        path = check_path(route, commit.get("path"))
        with session["lock"]:
            if session["concurrent"]:
                if body:
                    raise conflict("concurrent_session_data_not_allowed",
                                   {".tag": "concurrent_session_data_not_allowed"})
                if not session["closed"]:
                    raise conflict("concurrent_session_not_closed", {".tag": "concurrent_session_not_closed"})
                at = 0
                for start in sorted(session["ranges"]):
                    if start != at:
                        raise conflict("concurrent_session_missing_data",
                                       {".tag": "concurrent_session_missing_data"})
                    at = start + session["ranges"][start]
                if at != session["size"]:
                    raise conflict("concurrent_session_missing_data", {".tag": "concurrent_session_missing_data"})
            if offset != session["size"]:
                raise conflict("lookup_failed/incorrect_offset",
                               {".tag": "lookup_failed", "lookup_failed": {".tag": "incorrect_offset",
                                                                           "correct_offset": session["size"]}})
            if body:
                self.write_at(session, session["size"], body)
                session["size"] += len(body)
            metadata = self.commit_file(path, session["file"], commit.get("mode"))
            with self.state.lock:
                self.state.sessions.pop(session["id"], None)
        self.reply(200, metadata)

    def r_download(self, route, arg, body):
        path = check_path(route, arg.get("path"))
        full = self.disk(path)
        if not os.path.isfile(full):
            raise conflict("path/not_found", {".tag": "path", "path": {".tag": "not_found"}})
        size = os.path.getsize(full)
        first, last, status = 0, size - 1, 200
        wanted = self.headers.get("Range")
        if wanted:
            if not wanted.startswith("bytes=") or "-" not in wanted:
                raise bad_request(route, "invalid Range header")
            a, b = wanted[6:].split("-", 1)
            first = int(a)
            last = min(int(b), size - 1) if b else size - 1
            if first >= size or last < first:
                self.reply(416, "", "text/plain", {"Content-Range": "bytes */%d" % size})
                return
            status = 206
        with open(full, "rb") as f:
            f.seek(first)
            data = f.read(last - first + 1)
        headers = {"Dropbox-API-Result": json.dumps(self.metadata(path))}
        if status == 206:
            headers["Content-Range"] = "bytes %d-%d/%d" % (first, last, size)
        self.reply(status, data, "application/octet-stream", headers)

    def r_get_metadata(self, route, arg, body):
        path = check_path(route, arg.get("path"))
        if not os.path.exists(self.disk(path)):
            raise conflict("path/not_found", {".tag": "path", "path": {".tag": "not_found"}})
        self.reply(200, self.metadata(path))

    def r_delete_v2(self, route, arg, body):
        path = check_path(route, arg.get("path"))
        full = self.disk(path)
        if not os.path.exists(full):
            raise conflict("path_lookup/not_found", {".tag": "path_lookup", "path_lookup": {".tag": "not_found"}})
        metadata = self.metadata(path)
        if os.path.isdir(full):
            shutil.rmtree(full)
        else:
            os.unlink(full)
        self.reply(200, {"metadata": metadata})

    def r_create_folder_v2(self, route, arg, body):
        path = check_path(route, arg.get("path"))
        full = self.disk(path)
        if os.path.isdir(full):
            raise conflict("path/conflict/folder", {".tag": "path", "path": {".tag": "conflict"}})
        if os.path.exists(full):
            raise conflict("path/conflict/file", {".tag": "path", "path": {".tag": "conflict"}})
        os.makedirs(full)
        self.reply(200, {"metadata": self.metadata(path)})

    def r_list_folder(self, route, arg, body):
        path = check_path(route, arg.get("path"), root_ok=True)
        full = self.disk(path) if path else self.state.files
        if not os.path.exists(full):
            raise conflict("path/not_found", {".tag": "path", "path": {".tag": "not_found"}})
        if not os.path.isdir(full):
            raise conflict("path/not_folder", {".tag": "path", "path": {".tag": "not_folder"}})
        entries = []
        if arg.get("recursive"):
            for directory, dirs, files in os.walk(full):
                rel = os.path.relpath(directory, self.state.files)
                base = "" if rel == "." else "/" + rel
                entries += [base + "/" + name for name in sorted(dirs) + sorted(files)]
        else:
            entries = [path + "/" + name for name in sorted(os.listdir(full))]
        limit = arg.get("limit", self.state.page_size)
        if not isinstance(limit, int) or not 1 <= limit <= 2000:
            raise bad_request(route, "request body: limit: must be in 1..2000")
        self.page(entries, min(limit, self.state.page_size))

    def r_list_folder_continue(self, route, arg, body):
        with self.state.lock:
            listing = self.state.cursors.pop(arg.get("cursor"), None)
        if listing is None:
            raise conflict("reset", {".tag": "reset"})
        self.page(*listing)

    def page(self, paths, size):
        now, rest = paths[:size], paths[size:]
        entries = [self.metadata(p) for p in now if os.path.exists(self.disk(p))]
        cursor = "emu-cursor-%d" % next(self.state.ids)
        with self.state.lock:
            self.state.cursors[cursor] = (rest, size)
        self.reply(200, {"entries": entries, "cursor": cursor, "has_more": bool(rest)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18110)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--app-key", default="volback-app")
    parser.add_argument("--app-secret", default="app-secret")
    parser.add_argument("--refresh-token", default="refresh-secret")
    parser.add_argument("--page-size", type=int, default=25)
    args = parser.parse_args()
    Handler.state = State(args.dir, args.app_key, args.app_secret, args.refresh_token, args.page_size)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
