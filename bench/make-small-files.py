#!/usr/bin/python3
"""Writes the benchmark's small files and uploads, deterministically (fixed seed):
   ROOT/n8n/...       COUNT small text and JSON files (0.3 to 12 KiB) in nested directories,
                      the kind n8n or an MCP server keeps;
   ROOT/uploads/...   UPLOAD_MIB MiB of incompressible files of 100 KiB to 20 MiB.
Usage: make-small-files.py ROOT COUNT UPLOAD_MIB"""
import json
import os
import random
import sys

root, count, upload_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20261126)
MIB = 1 << 20
WORDS = ("select insert update workflow node execution credential token user id name value "
         "status error success pending created updated json data item payload response request "
         "http https api key table row column index webhook trigger schedule retry").split()


def text(size):
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
        line += " %d %08x\n" % (rng.randint(0, 10**6), rng.getrandbits(32))
        out.append(line)
        n += len(line)
    return "".join(out).encode()[:size]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


for i in range(count):
    d = os.path.join(root, "n8n", "d%02d" % (i % 40), "e%03d" % (i % 97 % 25))
    if i % 3 == 0:
        doc = {"id": i, "name": "workflow %d" % i, "active": i % 2 == 0,
               "nodes": [{"type": rng.choice(WORDS), "name": "%s %d" % (rng.choice(WORDS), k),
                          "position": [rng.randint(0, 999), rng.randint(0, 999)],
                          "parameters": {rng.choice(WORDS): rng.choice(WORDS) for _ in range(rng.randint(0, 6))}}
                         for k in range(rng.randint(1, 25))]}
        write(os.path.join(d, "wf-%06d.json" % i), json.dumps(doc, indent=2).encode())
    else:
        write(os.path.join(d, "note-%06d.txt" % i), text(rng.randint(300, 12 * 1024)))

made, k, total = 0, 0, upload_mib * MIB
while made < total:
    size = min(rng.randint(100 * 1024, 20 * MIB), total - made)
    write(os.path.join(root, "uploads", "%02d" % (k % 8), "obj-%05d.bin" % k), rng.randbytes(size))
    made += size
    k += 1
