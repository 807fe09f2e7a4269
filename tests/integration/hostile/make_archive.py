#!/usr/bin/python3
"""Builds tar archives for the hostile suite: well-formed volback archives and broken ones.

Debian's /usr/bin/python3, standard library only. Headers come from tarfile.TarInfo.tobuf (PAX
format unless told otherwise); the generator writes the stream itself, so that entry data can be
streamed (gigabytes of zeros, a manifest of 100+ MB) without being held in memory, names are
never sanitised, and anything may follow anything.

CLI:   make_archive.py SPEC.json [OUT]  (SPEC "-": standard input; OUT when the spec has no
       "out"); prints the archive's size.
API:   import make_archive; make_archive.build(spec)

SPEC (JSON object):
  out            the archive's path
  compression    "gz", "zst" or "none" (default: from out's suffix)
  format         "pax" (default), "gnu" or "ustar": the header format of the entries
  mark           true (default): a PAX global header (type g) first, with
                 VOLBACK.version=0.1.0 and VOLBACK.manifest=1 (override with global_headers)
  global_headers records of the global header, when mark is true
  manifest       true (default: the value of mark): volback-manifest.json as the last entry,
                 per docs/manifest-format.md
  sources        the archived root as entry names spell it (default "backup")
  root_dir       true (default): a directory entry for `sources` first
  volumes        volume names whose directory entries `sources/<volume>` come right after the
                 root; a volume directory is also added by itself before the first entry inside
                 it, unless an entry of that name comes first (auto_dirs: false turns that off)
  entries        the entries, in order (see ENTRY)
  extra_rows     manifest rows for entries the archive does not hold (appended to the rows)
  manifest_fields  top-level manifest fields to set (null removes one)
  manifest_padding N: one more top-level field, "padding", a string of N bytes (streamed)
  manifest_name  the manifest entry's name (default volback-manifest.json)
  after_manifest entries written after the manifest; {"type": "manifest"} is the manifest again;
                 an entry with "listed": true has a (truthful) row in the manifest before it
  cut_tail       N: remove the last N bytes of the final (compressed) file
  end_blocks     zero blocks ending the tar stream (default 2; the stream is then padded to a
                 10240-byte record, as GNU tar does)
  mtime          the default mtime of entries (default 1793000000)

ENTRY (JSON object):
  path           the name as written in the header (never changed; a directory gets no "/")
  type           file (default), dir, symlink, hardlink, fifo, char, block
  data | data_hex | random: N | zeros: N | repeat: [TEXT, N]   content of a file (default empty)
  mode           integer or octal string ("0644"); default 0644 for files, 0755 for directories,
                 0777 for symlinks
  uid, gid, uname, gname, mtime, mtime_nsec (written as a PAX mtime record when non-zero)
  link           target of a symlink or hard link
  devmajor, devminor   of a device node
  pax            extra PAX records of the entry
  sparse         PAX sparse format 1.0: {"realsize": N, "segments": [[OFFSET, CONTENT], ...],
                 "map": "raw map text" (instead of the one made from the segments),
                 "stored": CONTENT (instead of the segments' data), "name": header name}
                 CONTENT is an object with data/data_hex/random/zeros/repeat.
  sha256         the content's SHA-256 for the manifest when it cannot be computed here (a 10 TB
                 sparse file); zero runs of known length are looked up in ZERO_SHA256
  in_manifest    false: no manifest row for this entry
  manifest_row   fields of the entry's row to change (null removes one): the manifest lies
"""

import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
import tarfile
import zlib

BLOCK = 512
RECORD = 10240
CHUNK = 1 << 20
ZERO_RUN_MEMBER = 64 << 20  # a zero run this long or longer is written as repeated gz/zst members
DEFAULT_MTIME = 1793000000

# SHA-256 of N zero bytes, for the runs too long to hash on every test run
# (computed once with `head -c N /dev/zero | sha256sum`).
ZERO_SHA256 = {
    4 << 30: "8479e43911dc45e89f934fe48d01297e16f51d17aa561d4d1c216b1ae0fcddca",
    8 << 30: "ebfb4ef19ae410f190327b5ebd312711263bc7579970e87d9c1e2d84e06b3c25",
}

TYPES = {
    "file": tarfile.REGTYPE,
    "dir": tarfile.DIRTYPE,
    "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE,
    "fifo": tarfile.FIFOTYPE,
    "char": tarfile.CHRTYPE,
    "block": tarfile.BLKTYPE,
}
FORMATS = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}


# ---------------------------------------------------------------------------------------------
# Content: an object that yields bytes in chunks and knows its length.

class Content:
    def __init__(self, spec, seed_name=""):
        spec = spec or {}
        self.kind = "bytes"
        self.data = b""
        self.text = b""
        self.length = 0
        if "data" in spec:
            self.data = spec["data"].encode("utf-8", "surrogateescape")
            self.length = len(self.data)
        elif "data_hex" in spec:
            self.data = bytes.fromhex(spec["data_hex"])
            self.length = len(self.data)
        elif "random" in spec:
            self.kind = "random"
            self.length = int(spec["random"])
            self.seed = spec.get("seed", seed_name)
        elif "zeros" in spec:
            self.kind = "zeros"
            self.length = int(spec["zeros"])
        elif "repeat" in spec:
            self.kind = "repeat"
            text, count = spec["repeat"]
            self.text = text.encode("utf-8")
            self.length = len(self.text) * int(count)

    def chunks(self):
        """Yields bytes, or ints for runs of zeros (so that sinks can skip them)."""
        if self.kind == "bytes":
            if self.data:
                yield self.data
        elif self.kind == "zeros":
            if self.length:
                yield self.length
        elif self.kind == "random":
            rng = random.Random(self.seed)
            left = self.length
            while left:
                n = min(left, CHUNK)
                yield rng.randbytes(n)
                left -= n
        elif self.kind == "repeat":
            per = max(1, CHUNK // max(1, len(self.text)))
            block = self.text * per
            left = self.length
            while left:
                n = min(left, len(block))
                yield block[:n]
                left -= n


def sha256_of_chunks(chunks):
    h = hashlib.sha256()
    zeros = bytes(CHUNK)
    for c in chunks:
        if isinstance(c, int):
            left = c
            while left:
                n = min(left, CHUNK)
                h.update(zeros[:n])
                left -= n
        else:
            h.update(c)
    return h.hexdigest()


def content_sha256(content):
    if content.kind == "zeros" and content.length in ZERO_SHA256:
        return ZERO_SHA256[content.length]
    return sha256_of_chunks(content.chunks())


# ---------------------------------------------------------------------------------------------
# Sinks: plain, gzip (zlib), zstd (the zstd command). A long zero run is written as repeated
# copies of one precomputed member (gzip) or frame (zstd): concatenated members and frames are
# one valid stream, and gigabytes of zeros cost milliseconds.

class PlainSink:
    def __init__(self, f):
        self.f = f

    def write(self, data):
        self.f.write(data)

    def zeros(self, n):
        z = bytes(min(n, CHUNK))
        while n:
            k = min(n, CHUNK)
            self.f.write(z[:k])
            n -= k

    def close(self):
        pass


class GzipSink:
    def __init__(self, f, level=6):
        self.f = f
        self.level = level
        self.z = None
        self.member = None

    def _start(self):
        if self.z is None:
            self.z = zlib.compressobj(self.level, zlib.DEFLATED, 31)

    def write(self, data):
        self._start()
        self.f.write(self.z.compress(data))

    def _finish(self):
        if self.z is not None:
            self.f.write(self.z.flush(zlib.Z_FINISH))
            self.z = None

    def zeros(self, n):
        if n < ZERO_RUN_MEMBER:
            self.zeros_small(n)
            return
        self._finish()
        if self.member is None:
            self.member = gzip.compress(bytes(ZERO_RUN_MEMBER), compresslevel=9, mtime=0)
        while n >= ZERO_RUN_MEMBER:
            self.f.write(self.member)
            n -= ZERO_RUN_MEMBER
        if n:
            self.zeros_small(n)

    def zeros_small(self, n):
        z = bytes(min(n, CHUNK))
        while n:
            k = min(n, CHUNK)
            self.write(z[:k])
            n -= k

    def close(self):
        if self.f.tell() == 0:
            self._start()  # an empty stream is still one gzip member
        self._finish()


class ZstdSink:
    def __init__(self, f):
        self.f = f
        self.proc = None
        self.frame = None

    def _start(self):
        if self.proc is None:
            self.f.flush()
            self.proc = subprocess.Popen(["zstd", "-q", "-c", "-3", "-T1"], stdin=subprocess.PIPE, stdout=self.f)

    def write(self, data):
        self._start()
        self.proc.stdin.write(data)

    def _finish(self):
        if self.proc is not None:
            self.proc.stdin.close()
            if self.proc.wait() != 0:
                raise SystemExit("zstd failed")
            self.proc = None
            self.f.seek(0, os.SEEK_END)

    def zeros(self, n):
        if n < ZERO_RUN_MEMBER:
            z = bytes(min(n, CHUNK))
            while n:
                k = min(n, CHUNK)
                self.write(z[:k])
                n -= k
            return
        self._finish()
        if self.frame is None:
            self.frame = subprocess.run(["zstd", "-q", "-c", "-19"], input=bytes(ZERO_RUN_MEMBER),
                                        stdout=subprocess.PIPE, check=True).stdout
        while n >= ZERO_RUN_MEMBER:
            self.f.write(self.frame)
            n -= ZERO_RUN_MEMBER
        if n:
            self.zeros(n)  # the rest, shorter than a member: compressed normally

    def close(self):
        if self.f.tell() == 0:
            self._start()  # an empty stream is still one zstd frame
        self._finish()


class TarStream:
    """Counts bytes and pads: the tar layer above a sink."""

    def __init__(self, sink):
        self.sink = sink
        self.offset = 0

    def write(self, data):
        if data:
            self.sink.write(data)
            self.offset += len(data)

    def zeros(self, n):
        if n:
            self.sink.zeros(n)
            self.offset += n

    def put_chunks(self, chunks):
        for c in chunks:
            if isinstance(c, int):
                self.zeros(c)
            else:
                self.write(c)

    def pad(self, to=BLOCK):
        rest = self.offset % to
        if rest:
            self.zeros(to - rest)


# ---------------------------------------------------------------------------------------------
# The archive

def parse_mode(value, default):
    if value is None:
        return default
    if isinstance(value, str):
        return int(value, 8)
    return int(value)


class Builder:
    def __init__(self, spec):
        self.spec = spec
        self.sources = spec.get("sources", "backup")
        self.fmt = FORMATS[spec.get("format", "pax")]
        self.default_mtime = int(spec.get("mtime", DEFAULT_MTIME))
        self.rows = []  # manifest rows, in archive order
        self.emitted_dirs = set()

    # -- entries ------------------------------------------------------------------------------

    def header(self, e, size, pax_extra=None, name=None):
        etype = e.get("type", "file")
        info = tarfile.TarInfo(name if name is not None else e["path"])
        info.type = TYPES[etype]
        default_mode = {"dir": 0o755, "symlink": 0o777}.get(etype, 0o644)
        info.mode = parse_mode(e.get("mode"), default_mode)
        info.uid = int(e.get("uid", 0))
        info.gid = int(e.get("gid", 0))
        info.uname = e.get("uname", "root" if info.uid == 0 else "")
        info.gname = e.get("gname", "root" if info.gid == 0 else "")
        info.mtime = int(e.get("mtime", self.default_mtime))
        info.size = size
        if etype in ("symlink", "hardlink"):
            info.linkname = e["link"]
        if etype in ("char", "block"):
            info.devmajor = int(e.get("devmajor", 0))
            info.devminor = int(e.get("devminor", 0))
        pax = {}
        if e.get("mtime_nsec"):
            pax["mtime"] = "%d.%09d" % (info.mtime, int(e["mtime_nsec"]))
        pax.update(e.get("pax", {}))
        pax.update(pax_extra or {})
        info.pax_headers = pax
        # tobuf ends a directory's name with "/", as volback and GNU tar do.
        return info.tobuf(self.fmt, "utf-8", "surrogateescape")

    def volume_of(self, path):
        prefix = self.sources + "/" if self.sources else ""
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):]
        if not rest:
            return None
        return rest.split("/", 1)[0]

    def row_for(self, e, size, sha):
        etype = e.get("type", "file")
        default_mode = {"dir": 0o755, "symlink": 0o777}.get(etype, 0o644)
        path = e["path"]
        while len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        row = {"type": etype, "path": path, "size": size if etype == "file" else 0,
               "mode": parse_mode(e.get("mode"), default_mode), "uid": int(e.get("uid", 0)),
               "gid": int(e.get("gid", 0)), "mtime": int(e.get("mtime", self.default_mtime)),
               "mtime_nsec": int(e.get("mtime_nsec", 0))}
        if etype in ("symlink", "hardlink"):
            row["link"] = e["link"]
        if etype == "file":
            row["sha256"] = sha
        for k, v in e.get("manifest_row", {}).items():
            if v is None:
                row.pop(k, None)
            else:
                row[k] = v
        return row

    def write_entry(self, out, e):
        etype = e.get("type", "file")
        if e.get("listed"):
            e = dict(e, in_manifest=False)  # its row was written before the manifest
        if etype == "manifest":
            self.write_manifest(out)
            return
        sha = None
        size = 0
        if "sparse" in e:
            size, sha = self.write_sparse(out, e)
        elif etype == "file":
            content = Content(e, seed_name=e["path"])
            size = content.length
            out.write(self.header(e, size))
            h = hashlib.sha256()
            zeros = bytes(CHUNK)
            known = e.get("sha256") or (ZERO_SHA256.get(size) if content.kind == "zeros" else None)
            for c in content.chunks():
                if isinstance(c, int):
                    out.zeros(c)
                    if not known:
                        left = c
                        while left:
                            k = min(left, CHUNK)
                            h.update(zeros[:k])
                            left -= k
                else:
                    out.write(c)
                    if not known:
                        h.update(c)
            out.pad()
            sha = known or h.hexdigest()
        else:
            out.write(self.header(e, 0))
        if etype == "dir":
            vol = self.volume_of(e["path"].rstrip("/"))
            if vol is not None and e["path"].rstrip("/") == self.sources + "/" + vol:
                self.emitted_dirs.add(vol)
        if e.get("in_manifest", True):
            self.rows.append(self.row_for(e, size, sha))

    def write_sparse(self, out, e):
        sp = e["sparse"]
        realsize = int(sp["realsize"])
        segments = [(int(off), Content(c, seed_name="%s@%d" % (e["path"], int(off))))
                    for off, c in sp.get("segments", [])]
        if "map" in sp:
            map_text = sp["map"].encode("ascii")
        else:
            lines = [str(len(segments))]
            for off, c in segments:
                lines += [str(off), str(c.length)]
            map_text = ("\n".join(lines) + "\n").encode("ascii")
        map_block = map_text + bytes((-len(map_text)) % BLOCK)
        stored = Content(sp["stored"], seed_name=e["path"]) if "stored" in sp else None
        data_len = stored.length if stored else sum(c.length for _, c in segments)
        size = len(map_block) + data_len
        name = sp.get("name")
        if name is None:
            d, _, base = e["path"].rpartition("/")
            name = (d + "/" if d else "") + "GNUSparseFile.0/" + base
        pax = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": e["path"],
               "GNU.sparse.realsize": str(realsize)}
        out.write(self.header(e, size, pax_extra=pax, name=name))
        out.write(map_block)
        if stored:
            out.put_chunks(stored.chunks())
        else:
            for _, c in segments:
                out.put_chunks(c.chunks())
        out.pad()
        sha = e.get("sha256")
        if sha is None:
            if realsize > (1 << 30):
                if realsize in ZERO_SHA256 and not any(c.length for _, c in segments):
                    sha = ZERO_SHA256[realsize]
                else:
                    raise SystemExit("%s: give sha256 for a sparse file over 1 GiB" % e["path"])
            else:
                def expanded():
                    at = 0
                    for off, c in segments:
                        if off > at:
                            yield off - at
                        for chunk in c.chunks():
                            yield chunk
                        at = off + c.length
                    if realsize > at:
                        yield realsize - at
                sha = sha256_of_chunks(expanded())
        return realsize, sha

    # -- the manifest -------------------------------------------------------------------------

    def manifest_parts(self):
        """(head, padding length, rest): the document is head + "x" * padding + rest."""
        spec = self.spec
        rows = self.rows + list(spec.get("extra_rows", []))
        volumes = {}
        for r in rows:
            path = r.get("path", "")
            vol = self.volume_of(path)
            if vol is None:
                continue
            t = volumes.setdefault(vol, {"bytes": 0, "entries": 0, "files": 0})
            t["entries"] += 1
            if r.get("type") == "file":
                t["files"] += 1
                t["bytes"] += int(r.get("size", 0))
        comp = self.compression
        head = {"compression": comp, "entry_count": len(rows), "finished": "2026-11-01T00:00:05Z",
                "manifest_version": 1, "sources": self.sources, "started": "2026-11-01T00:00:00Z",
                "stopped_containers": [], "volback_version": "0.1.0", "volumes": volumes}
        for k, v in spec.get("manifest_fields", {}).items():
            if v is None:
                head.pop(k, None)
            else:
                head[k] = v
        padding = int(spec.get("manifest_padding", 0))
        marker = "@@PADDING@@"
        if padding:
            head["padding"] = marker
        text = json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        text = text[:-1] + ',"entries":[\n'
        text += ",\n".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in rows)
        text += "\n]}\n"
        if padding:
            before, after = text.split(marker, 1)
            return before.encode("utf-8"), padding, after.encode("utf-8")
        return text.encode("utf-8"), 0, b""

    def write_manifest(self, out):
        head, padding, rest = self.manifest_parts()
        size = len(head) + padding + len(rest)
        e = {"path": self.spec.get("manifest_name", "volback-manifest.json"), "type": "file",
             "mode": 0o644, "uid": 0, "gid": 0, "mtime": self.default_mtime + 5}
        out.write(self.header(e, size))
        out.write(head)
        if padding:
            block = b"x" * CHUNK
            left = padding
            while left:
                k = min(left, CHUNK)
                out.write(block[:k])
                left -= k
        out.write(rest)
        out.pad()

    # -- the whole archive --------------------------------------------------------------------

    def build(self):
        spec = self.spec
        path = spec["out"]
        comp = spec.get("compression")
        if comp is None:
            comp = "gz" if path.endswith(".gz") else "zst" if path.endswith(".zst") else "none"
        self.compression = comp
        mark = spec.get("mark", True)
        with open(path, "wb") as f:
            sink = {"gz": GzipSink, "zst": ZstdSink, "none": PlainSink}[comp](f)
            out = TarStream(sink)
            if mark:
                records = spec.get("global_headers", {"VOLBACK.version": "0.1.0", "VOLBACK.manifest": "1"})
                out.write(tarfile.TarInfo.create_pax_global_header(dict(records)))
            if spec.get("root_dir", True):
                self.write_entry(out, {"path": self.sources, "type": "dir"})
            for vol in spec.get("volumes", []):
                self.write_entry(out, {"path": self.sources + "/" + vol, "type": "dir"})
            auto = spec.get("auto_dirs", True)
            for e in spec.get("entries", []):
                vol = self.volume_of(e["path"])
                if (auto and vol not in (None, "", ".", "..") and vol not in self.emitted_dirs
                        and e["path"].rstrip("/") != self.sources + "/" + vol):
                    self.write_entry(out, {"path": self.sources + "/" + vol, "type": "dir"})
                self.write_entry(out, e)
            for e in spec.get("after_manifest", []):
                if e.get("listed") and e.get("type", "file") != "manifest":
                    content = Content(e, seed_name=e["path"])
                    size = content.length if e.get("type", "file") == "file" else 0
                    self.rows.append(self.row_for(e, size, content_sha256(content)))
            if spec.get("manifest", mark):
                self.write_manifest(out)
            for e in spec.get("after_manifest", []):
                self.write_entry(out, e)
            out.zeros(BLOCK * int(spec.get("end_blocks", 2)))
            out.pad(RECORD)
            sink.close()
        cut = int(spec.get("cut_tail", 0))
        if cut:
            size = os.path.getsize(path)
            os.truncate(path, max(0, size - cut))
        return os.path.getsize(path)


def build(spec):
    return Builder(spec).build()


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read() if argv[1] == "-" else open(argv[1], encoding="utf-8").read()
    spec = json.loads(text)
    if len(argv) == 3:
        spec.setdefault("out", argv[2])
    print(build(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
