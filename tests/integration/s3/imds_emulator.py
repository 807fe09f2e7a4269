#!/usr/bin/python3
"""An EC2 instance metadata service (IMDS) for the s3 integration suite: hands out an IAM
role's credentials the way EC2 does, so volback's AWS_IAM_ROLE_ENDPOINT can be tested
without AWS. Standard library only; run it with /usr/bin/python3.

  imds_emulator.py PORT --log FILE [--mode v2-only|optional|v1-only] [--expiry SECONDS]
                   [--access-key KEY] [--secret-key SECRET] [--role NAME]
                   [--garbage not-json|huge|code|no-role]

Listens on 127.0.0.1:PORT and prints "ready" on stdout once it does. It follows IMDSv2's
documented rules:
  PUT  /latest/api/token   needs X-aws-ec2-metadata-token-ttl-seconds, an integer from 1 to
                           21600, else 400; a request with X-Forwarded-For is refused (403).
                           Answers a fresh token valid for that many seconds. Other methods:
                           405.
  GET  /latest/meta-data/iam/security-credentials/         the role name
  GET  /latest/meta-data/iam/security-credentials/<role>   the credentials as JSON:
       Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration
  A GET with an X-aws-ec2-metadata-token that is unknown or expired is answered 401. Without
  a token: 401 in v2-only mode (the default), served in optional mode. In v1-only mode the
  token PUT is answered 403 (IMDSv2 turned off) and GETs need no token.

The credentials expire --expiry seconds after they are handed out (default 21600), so a
short value makes a client's refresh observable. The session token is a dummy: Swift's s3api,
the suite's S3 server, checks the signature with the secret key and ignores the token.
--garbage makes the credentials (or the role listing) unusable: not-json, huge (2 MiB),
code (Code "AssumeRoleUnauthorizedAccess"), no-role (an empty role listing).

Every request is logged to FILE, one line each, flushed:
  <METHOD> <PATH> token=<none|valid|invalid> <STATUS>
"""
import argparse
import datetime
import http.server
import json
import secrets
import socketserver
import sys
import threading
import time

TOKEN_PATH = '/latest/api/token'
CREDS_PATH = '/latest/meta-data/iam/security-credentials/'
TTL_HEADER = 'X-aws-ec2-metadata-token-ttl-seconds'
TOKEN_HEADER = 'X-aws-ec2-metadata-token'


def parse_args():
    parser = argparse.ArgumentParser(description='EC2 instance metadata service emulator')
    parser.add_argument('port', type=int)
    parser.add_argument('--log', required=True)
    parser.add_argument('--mode', choices=['v2-only', 'optional', 'v1-only'], default='v2-only')
    parser.add_argument('--expiry', type=int, default=21600)
    parser.add_argument('--access-key', default='test:tester')
    parser.add_argument('--secret-key', default='testing')
    parser.add_argument('--role', default='volback-role')
    parser.add_argument('--garbage', choices=['not-json', 'huge', 'code', 'no-role'])
    return parser.parse_args()


ARGS = parse_args()
LOCK = threading.Lock()
TOKENS = {}  # token -> expiry (monotonic seconds)
HANDED_OUT = [0]
LOG = open(ARGS.log, 'a', encoding='utf-8')


def log(line):
    with LOCK:
        LOG.write(line + '\n')
        LOG.flush()


def rfc3339(seconds_from_now):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'EC2ws'

    def log_message(self, *args):  # the request log is ours
        pass

    def reply(self, status, body=b'', content_type='text/plain', token_state='none'):
        log(f'{self.command} {self.path} token={token_state} {status}')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def drain(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)

    def do_PUT(self):
        self.drain()
        if self.path != TOKEN_PATH:
            return self.reply(405)
        if ARGS.mode == 'v1-only':
            return self.reply(403)
        if self.headers.get('X-Forwarded-For') is not None:
            return self.reply(403)
        ttl_text = self.headers.get(TTL_HEADER)
        try:
            ttl = int(ttl_text)
        except (TypeError, ValueError):
            ttl = 0
        if not 1 <= ttl <= 21600:
            return self.reply(400)
        token = secrets.token_urlsafe(42)
        with LOCK:
            TOKENS[token] = time.monotonic() + ttl
        self.reply(200, token.encode())

    def token_state(self):
        given = self.headers.get(TOKEN_HEADER)
        if given is None:
            return 'none'
        with LOCK:
            expiry = TOKENS.get(given)
        return 'valid' if expiry is not None and time.monotonic() < expiry else 'invalid'

    def do_GET(self):
        if self.path == TOKEN_PATH:
            return self.reply(405)
        state = self.token_state()
        if state == 'invalid' or (state == 'none' and ARGS.mode == 'v2-only'):
            return self.reply(401, token_state=state)
        if self.path == CREDS_PATH:
            role = '' if ARGS.garbage == 'no-role' else ARGS.role + '\n'
            return self.reply(200, role.encode(), token_state=state)
        if self.path != CREDS_PATH + ARGS.role:
            return self.reply(404, token_state=state)
        with LOCK:
            HANDED_OUT[0] += 1
            number = HANDED_OUT[0]
        if ARGS.garbage == 'not-json':
            body = b'<html>Gateway says: "SecretAccessKey": oops'
        elif ARGS.garbage == 'huge':
            body = b'{"Code": "Success", "Padding": "' + b'x' * (2 * 1024 * 1024) + b'"}'
        elif ARGS.garbage == 'code':
            body = json.dumps({'Code': 'AssumeRoleUnauthorizedAccess',
                               'Message': 'EC2 cannot assume the role ' + ARGS.role}).encode()
        else:
            body = json.dumps({
                'Code': 'Success',
                'LastUpdated': rfc3339(0),
                'Type': 'AWS-HMAC',
                'AccessKeyId': ARGS.access_key,
                'SecretAccessKey': ARGS.secret_key,
                'Token': f'dummy-session-token-{number}',
                'Expiration': rfc3339(ARGS.expiry),
            }, indent=2).encode()
        self.reply(200, body, 'application/json', token_state=state)

    def do_POST(self):
        self.drain()
        self.reply(405)

    do_DELETE = do_POST


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(('127.0.0.1', ARGS.port), Handler)
    print('ready', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
