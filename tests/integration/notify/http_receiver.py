#!/usr/bin/python3
"""A local HTTP receiver for the notify suite: records every request and answers it.

  http_receiver.py DIR PORT [STATUS]

Each request becomes DIR/req-N.json: {"method", "path", "headers", "body"} (body as
text). Answers STATUS (default 200) with "{}". DIR/ready is created once it listens.
Runs until SIGTERM.
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

directory, port = sys.argv[1], int(sys.argv[2])
status = int(sys.argv[3]) if len(sys.argv) > 3 else 200
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
        reply = b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
open(os.path.join(directory, "ready"), "w").close()
server.serve_forever()
