#!/usr/bin/python3
"""A local HTTP receiver for the notify suite: records every request and answers it.

  http_receiver.py DIR PORT [STATUS [REPLIES]]

Each request becomes DIR/req-N.json: {"method", "path", "headers", "body"} (body as
text). Answers STATUS (default 200) with "{}", or as the first entry of the JSON file
REPLIES whose "method" and "path" (a regular expression matched from the start of the path
with its query) fit: {"method", "path", "status", "body", "type"} (type default
application/json; no body for 204). DIR/ready is created once it listens. Runs until
SIGTERM.
"""
import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

directory, port = sys.argv[1], int(sys.argv[2])
status = int(sys.argv[3]) if len(sys.argv) > 3 else 200
replies = []
if len(sys.argv) > 4:
    with open(sys.argv[4]) as f:
        replies = json.load(f)
lock = threading.Lock()
count = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            count[0] += 1
            n = count[0]
        record = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        tmp = os.path.join(directory, f"req-{n}.json.tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(directory, f"req-{n:03d}.json"))
        code, reply, kind = status, b"{}", "application/json"
        for r in replies:
            if r["method"] == self.command and re.match(r["path"], self.path):
                code, reply = r.get("status", 200), r.get("body", "").encode()
                kind = r.get("type", kind)
                break
        self.send_response(code)
        if code != 204:
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if code != 204:
            self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
open(os.path.join(directory, "ready"), "w").close()
server.serve_forever()
