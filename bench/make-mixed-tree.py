#!/usr/bin/python3
"""Builds a deterministic mixed tree for benchmarks: small text/JSON files in nested
directories (what n8n or an MCP server keeps), large semi-compressible "database" files,
and incompressible "uploads". Usage: make-mixed-tree.py DIR [SCALE_MIB]  (default 1024)."""
import json
import os
import random
import sys

root = sys.argv[1]
scale = int(sys.argv[2]) if len(sys.argv) > 2 else 1024  # total MiB, roughly
rng = random.Random(20261126)
MIB = 1 << 20
WORDS = ("select insert update workflow node execution credential token user id name value "
         "status error success pending created updated json data item payload response request "
         "http https api key table row column index vacuum checkpoint wal segment page").split()


def text_block(size):
    out = []
    n = 0
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


# ~10% small files
small_total = scale * MIB // 10
made = 0
i = 0
while made < small_total:
    d = os.path.join(root, "backup", "n8n_storage", "workflows", "%02d" % (i % 50), "%03d" % (i % 7))
    if i % 3 == 0:
        doc = {"id": i, "name": "workflow %d" % i, "nodes": [{"type": rng.choice(WORDS), "position": [rng.randint(0, 999), rng.randint(0, 999)]} for _ in range(rng.randint(1, 40))]}
        data = json.dumps(doc, indent=2).encode()
        name = "wf-%06d.json" % i
    else:
        data = text_block(rng.randint(500, 20000))
        name = "note-%06d.txt" % i
    write(os.path.join(d, name), data)
    made += len(data)
    i += 1

# ~60% semi-compressible "database" files, written from 16 distinct 4 MiB blocks
blocks = [text_block(4 * MIB) for _ in range(16)]
db_total = scale * MIB * 6 // 10
db_dir = os.path.join(root, "backup", "supabase-db-data", "base")
os.makedirs(db_dir, exist_ok=True)
for n in range(max(1, db_total // (128 * MIB))):
    with open(os.path.join(db_dir, "%05d" % (16384 + n)), "wb") as f:
        for _ in range(32):
            f.write(rng.choice(blocks))

# ~30% incompressible uploads, 100 KiB to 20 MiB each
up_total = scale * MIB * 3 // 10
made = 0
k = 0
while made < up_total:
    size = min(rng.randint(100 * 1024, 20 * MIB), up_total - made)
    write(os.path.join(root, "backup", "supabase-storage", "uploads", "obj-%05d.bin" % k), rng.randbytes(size))
    made += size
    k += 1
print("files:", i + k + db_total // (128 * MIB))
