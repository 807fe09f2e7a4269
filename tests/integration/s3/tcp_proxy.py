#!/usr/bin/python3
"""A scripted TCP proxy between volback and the S3 server, for the s3 integration suite.

  tcp_proxy.py LISTEN_PORT TARGET_PORT [--tls CERT KEY] [--reset N]... [--cut N BYTES]...

Forwards every connection to 127.0.0.1:TARGET_PORT. With --tls it terminates TLS with the
given certificate. --reset N resets the Nth connection (1-based) as soon as it is accepted;
--cut N BYTES resets the Nth connection after forwarding BYTES of the client's request. Each
event is printed on stdout, flushed; "ready" is printed once it listens.
"""
import socket
import ssl
import struct
import sys
import threading

args = sys.argv[1:]
listen_port, target_port = int(args[0]), int(args[1])
resets, cuts, tls = set(), {}, None
i = 2
while i < len(args):
    if args[i] == '--reset':
        resets.add(int(args[i + 1])); i += 2
    elif args[i] == '--cut':
        cuts[int(args[i + 1])] = int(args[i + 2]); i += 3
    elif args[i] == '--tls':
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args[i + 1], args[i + 2]); i += 3
    else:
        sys.exit('unknown argument ' + args[i])

lock = threading.Lock()
count = 0


def log(text):
    with lock:
        print(text, flush=True)


def hard_close(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def pump(src, dst, limit, on_limit):
    sent = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) >= limit:
                dst.sendall(data[:limit - sent])
                on_limit()
                return
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def handle(client, n):
    if tls is not None:
        try:
            client = tls.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log(f'connection {n}: TLS handshake failed: {e}')
            client.close()
            return
    if n in resets:
        log(f'connection {n}: reset at accept')
        hard_close(client)
        return
    upstream = socket.create_connection(('127.0.0.1', target_port))
    limit = cuts.get(n)

    def cut():
        log(f'connection {n}: cut after {limit} bytes of the request')
        hard_close(client)
        hard_close(upstream)

    log(f'connection {n}: forwarding')
    t = threading.Thread(target=pump, args=(upstream, client, None, None), daemon=True)
    t.start()
    pump(client, upstream, limit, cut)
    t.join(timeout=5)
    for s in (client, upstream):
        try:
            s.close()
        except OSError:
            pass


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', listen_port))
server.listen(64)
log('ready')
while True:
    conn, _ = server.accept()
    with lock:
        count += 1
        n = count
    threading.Thread(target=handle, args=(conn, n), daemon=True).start()
