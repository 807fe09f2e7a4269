#!/usr/bin/env bash
# Regenerates the archive-derived seed corpora of the fuzz targets (docs/fuzzing.md):
#   fuzz/corpus/tar_reader/  archives of a small tree written by volback (none) and by GNU tar
#                            in the gnu, pax (sparse 0.1 and 1.0, xattrs), ustar and v7 formats
#   fuzz/corpus/decompress/  volback's .tar.gz and .tar.zst, gzip, pigz and zstd streams (one or
#                            several members or frames), each behind decompress_fuzz.cpp's
#                            control byte
#   fuzz/corpus/manifest/    the manifest of volback's archive, and the same head with no rows
#                            and with two
#   fuzz/corpus/checked_archive/  volback's archives in every codec, and GNU tar's (foreign)
# The text corpora (cron, env_file, s3_xml, docker_json) are committed as they are: they come
# from the unit tests' strings and src/volback/docker/testdata.
#
# Usage: fuzz/make-corpus.sh [VOLBACK_BINARY]   (default build/volback, from a Release build)
# Needs GNU tar, gzip, pigz, zstd, attr and /usr/bin/python3. Writes only under fuzz/corpus/
# and a temporary directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
volback=$(realpath "${1:-build/volback}")
[[ -x $volback ]] || { echo "make-corpus: no volback binary at $volback" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/volback-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
src=$tmp/backup
mkdir -p "$src/app/sub" "$tmp/archive" "$tmp/state" "$tmp/run"
printf 'hello volback\n' >"$src/app/hello.txt"
: >"$src/app/empty"
head -c 3000 README.md >"$src/app/readme.md"
ln -s hello.txt "$src/app/link"
ln "$src/app/hello.txt" "$src/app/sub/hard"
truncate -s 1M "$src/app/sparse"
printf 'x' | dd of="$src/app/sparse" bs=1 seek=600000 conv=notrunc status=none
printf 'data' >"$src/app/sub/$(printf 'caf\xe9')"
mkfifo "$src/app/fifo"
setfattr -n user.note -v seed "$src/app/hello.txt" 2>/dev/null || true
touch -d 2026-11-26T10:00:00Z "$src" "$src"/app "$src"/app/* "$src"/app/sub/*

for codec in none gz zst; do
  env -i PATH="$PATH" HOME="$tmp" TZ=UTC VOLBACK_LOCK_FILE="$tmp/run/lock" VOLBACK_STATE_DIR="$tmp/state" \
    BACKUP_SOURCES="$src" BACKUP_ARCHIVE="$tmp/archive" BACKUP_COMPRESSION=$codec \
    BACKUP_FILENAME="volback-$codec.{{ .Extension }}" "$volback" backup >/dev/null 2>&1
done

out=fuzz/corpus
rm -rf "$out/tar_reader" "$out/decompress" "$out/manifest" "$out/checked_archive"
mkdir -p "$out/tar_reader" "$out/decompress" "$out/manifest" "$out/checked_archive"

# tar_reader: raw tar streams.
cp "$tmp/archive/volback-none.tar" "$out/tar_reader/volback.tar"
(
  cd "$tmp"
  tar -b1 --format=gnu --sparse -cf gnu.tar backup
  tar -b1 --format=pax --sparse --sparse-version=1.0 --xattrs -cf pax-sparse-1.0.tar backup
  tar -b1 --format=pax --sparse --sparse-version=0.1 -cf pax-sparse-0.1.tar backup/app/sparse backup/app/hello.txt
  tar -b1 --format=ustar -cf ustar.tar --exclude=sparse backup
  tar -b1 --format=v7 -cf v7.tar --exclude=sparse --exclude=fifo backup
  long=backup/app/$(printf 'd%.0s' {1..120})/$(printf 'f%.0s' {1..120})
  mkdir -p "$(dirname "$long")" && printf 'long\n' >"$long"
  tar -b1 --format=gnu -cf gnu-longname.tar "$long"
  tar -b1 --format=pax -cf pax-longname.tar "$long"
)
cp "$tmp"/{gnu,pax-sparse-1.0,pax-sparse-0.1,ustar,v7,gnu-longname,pax-longname}.tar "$out/tar_reader/"

# decompress: a control byte (decompress_fuzz.cpp: bit 0 zstd, bits 1-2 the source's read size,
# bits 3-4 the reader's buffer) and a compressed stream.
seed() {  # seed NAME CONTROL_BYTE_OCTAL < stream
  { printf "\\$2"; cat; } >"$out/decompress/$1"
}
small=$tmp/small
printf 'hello volback\nhello volback\nhello volback\n' >"$small"
seed volback.tar.gz 000 <"$tmp/archive/volback-gz.tar.gz"
seed volback.tar.zst 001 <"$tmp/archive/volback-zst.tar.zst"
seed gzip 002 < <(gzip -9c "$small")
seed gzip-two-members 010 < <(gzip -c "$small"; gzip -1c "$tmp/backup/app/hello.txt")
seed gzip-empty 004 < <(gzip -c </dev/null)
seed pigz-independent 030 < <(pigz -i -b 32 -c "$tmp/backup/app/readme.md")
seed zstd 003 < <(zstd -q -c "$small")
seed zstd-check-two-frames 011 < <(zstd -q --check -c "$small"; zstd -q --no-check -c "$tmp/backup/app/hello.txt")
seed zstd-empty 005 < <(zstd -q -c </dev/null)
seed zstd-long 037 < <(zstd -q -19 -c "$tmp/backup/app/readme.md")

# manifest: as written, and the same head with no rows and with the first two rows (the
# layout ManifestReader reads: the head line, one row a line, "]}").
tar -xOf "$tmp/archive/volback-none.tar" volback-manifest.json >"$out/manifest/volback"
/usr/bin/python3 -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = json.loads(lines[0][:-len(",\"entries\":[")] + "}")
rows = [line.rstrip(",") for line in lines[1:] if line.startswith("{")]
def write(path, rows):
    head["entry_count"] = len(rows)
    text = json.dumps(head, separators=(",", ":"))[:-1] + ",\"entries\":[\n"
    text += ",\n".join(rows) if rows else ""
    open(path, "w", encoding="utf-8").write(text + "\n]}\n")
write(sys.argv[2], [])
write(sys.argv[3], rows[:2])
' "$out/manifest/volback" "$out/manifest/no-rows" "$out/manifest/two-rows"

# checked_archive: whole archives as a backend serves them, marked and foreign.
cp "$tmp/archive/volback-none.tar" "$tmp/archive/volback-gz.tar.gz" "$tmp/archive/volback-zst.tar.zst" \
  "$out/checked_archive/"
cp "$tmp"/{gnu,pax-sparse-1.0}.tar "$out/checked_archive/"

du -sh "$out"/*
