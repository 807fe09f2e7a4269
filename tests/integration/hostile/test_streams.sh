#!/usr/bin/env bash
# Damaged compressed streams of otherwise valid marked archives: a gzip stream without its
# 8-byte trailer (CRC-32 and length), a gzip stream whose trailer CRC is wrong, and a zstd
# stream cut short at its end. verify says CORRUPT naming the codec; restore --to and
# --in-place exit 1 and change nothing.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

entries='[{"path": "backup/vol/random.bin", "random": 200000}, {"path": "backup/vol/small.txt", "data": "small\n"}]'

# damaged CASE KEYWORD — the archive in $ARCHIVE/$NAME is refused: verify with KEYWORD,
# both restores with exit 1.
damaged() {
  refused "$1" "$2" --modes verify
  refused "$1" "" --modes "to inplace"
}

NAME=backup-2026-11-01T00-00-00.tar.gz
make_archive <<EOF
{"volumes": ["vol"], "entries": $entries, "cut_tail": 8}
EOF
damaged "gzip stream without its 8-byte trailer" "$KW_GZIP"

make_archive <<EOF
{"volumes": ["vol"], "entries": $entries}
EOF
file=$ARCHIVE/$NAME
size=$(stat -c %s "$file")
crc=$(od -An -tu1 -j $((size - 8)) -N1 "$file" | tr -d ' ')
"$PY" -c 'import sys; sys.stdout.buffer.write(bytes([int(sys.argv[1]) ^ 0xff]))' "$crc" |
  dd of="$file" bs=1 seek=$((size - 8)) conv=notrunc status=none
gzip -t "$file" 2>/dev/null && fail "gzip -t accepts the archive with a wrong CRC"
damaged "gzip trailer with a wrong CRC-32" "$KW_GZIP"

NAME=backup-2026-11-01T00-00-00.tar.zst
make_archive <<EOF
{"volumes": ["vol"], "entries": $entries, "cut_tail": 8}
EOF
zstd -t -q "$ARCHIVE/$NAME" 2>/dev/null && fail "zstd -t accepts the truncated archive"
damaged "zstd stream cut short (last 8 bytes missing)" "$KW_ZSTD"

hostile_finish
