#!/usr/bin/env bash
# Bounded work: a marked archive of about 600 bytes whose PAX sparse entry (format 1.0) declares
# 10 TB (GNU.sparse.realsize=10995116277760) with one 1-byte data segment: verify, restore --to
# and --in-place end within a few seconds with exit 1 naming the sparse entry, and change
# nothing. A sparse map claiming 1 MiB of data where the entry stores 100 bytes: exit 1.
# Each run is bounded by a timeout of BOUNDED_TIMEOUT seconds (then SIGTERM, SIGKILL 2 s later).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"
RUN_TIMEOUT=$BOUNDED_TIMEOUT

make_archive <<EOF
{"volumes": ["vol"], "entries": [
  {"path": "backup/vol/ok.txt", "data": "harmless\n"},
  {"path": "backup/vol/huge.img", "sparse": {"realsize": 10995116277760, "segments": [[0, {"data": "x"}]]},
   "sha256": "$(printf '%064d' 0)"}]}
EOF
step "archive: $(stat -c %s "$ARCHIVE/$NAME") bytes"
refused "sparse entry declaring 10 TB" "$KW_SPARSE" --within "$BOUNDED_SECONDS"

make_archive <<EOF
{"volumes": ["vol"], "entries": [
  {"path": "backup/vol/short.img", "sparse": {"realsize": 1048576, "segments": [[0, {"random": 1048576}]],
                                              "stored": {"random": 100}}},
  {"path": "backup/vol/after.txt", "data": "after\n"}]}
EOF
refused "sparse map claims 1 MiB, the entry stores 100 bytes" "$KW_SPARSE_SHORT" --within "$BOUNDED_SECONDS"

hostile_finish
