#!/usr/bin/env bash
# Bounded memory: a marked archive of about 120 KB whose manifest is 124 MB (one huge JSON
# string in an extra top-level field, which readers otherwise ignore). verify, restore --to and
# --in-place exit 1 naming the manifest, with a peak RSS under 100 MB, and change nothing.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

make_archive <<EOF
{"volumes": ["vol"], "entries": [{"path": "backup/vol/ok.txt", "data": "harmless\n"}],
 "manifest_padding": 124000000}
EOF
step "archive: $(stat -c %s "$ARCHIVE/$NAME") bytes, manifest of $((124000000 / 1000000)) MB"
refused "manifest of 124 MB" "$KW_MANIFEST" --max-rss "$MAX_RSS_KB"

hostile_finish
