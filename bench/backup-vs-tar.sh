#!/usr/bin/env bash
# Times one volback backup of a mixed tree against GNU tar piped through the standard
# compressors, on a warm page cache, and prints wall time, peak RSS, output size and
# volback's ratios. Usage: bench/backup-vs-tar.sh [SCALE_MIB] (default 1024).
# The tree is kept in $VOLBACK_BENCH_DIR (default /var/tmp/volback-bench) between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1024}
work=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}
bin=${VOLBACK_BIN:-$PWD/build/volback}
tree=$work/tree-$scale
out=$work/out
[[ -x $bin ]] || { echo "build volback first: $bin" >&2; exit 1; }
if [[ ! -d $tree ]]; then
  echo "building a ${scale} MiB tree in $tree ..."
  /usr/bin/python3 bench/make-mixed-tree.py "$tree.tmp" "$scale" && mv "$tree.tmp" "$tree"
fi
echo "cores: $(nproc); tree: $(du -sh --apparent-size "$tree/backup" | cut -f1) in $(find "$tree/backup" -type f | wc -l) files"
tar -cf - -C "$tree" backup > /dev/null  # warm the page cache
echo "page cache: warm (the tree was read once before the first measurement)"

declare -A secs rss size
measure() {  # name, output file, command...
  local name=$1 file=$2; shift 2
  rm -rf "$out"; mkdir -p "$out"
  /usr/bin/time -v -o "$work/time.txt" "$@" > /dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  secs[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
  rss[$name]=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$work/time.txt")
  size[$name]=$(stat -c %s $file)
  printf '%-22s %8.2f s %8d MiB RSS %12d bytes\n' "$name" "${secs[$name]}" "${rss[$name]}" "${size[$name]}"
}
vb() {  # codec
  env BACKUP_SOURCES="$tree/backup" BACKUP_ARCHIVE="$out" BACKUP_COMPRESSION="$1" \
    BACKUP_FILENAME="vb.{{ .Extension }}" VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state" \
    "$bin" backup
}
export -f vb; export tree out work bin
measure "volback gz"      "$out/vb.tar.gz"  bash -c 'vb gz'
measure "tar -czf (gzip -6)" "$out/t.tar.gz" tar -czf "$out/t.tar.gz" -C "$tree" backup
measure "volback zst"     "$out/vb.tar.zst" bash -c 'vb zst'
measure "tar | zstd -T0 -3" "$out/t.tar.zst" bash -c 'tar -cf - -C "$tree" backup | zstd -q -T0 -3 -o "$out/t.tar.zst"'
echo
awk -v a="${secs[volback gz]}" -v b="${secs[tar -czf (gzip -6)]}" -v c="${size[volback gz]}" -v d="${size[tar -czf (gzip -6)]}" \
  'BEGIN { printf "gz:  volback/tar time ratio %.2f, size ratio %.3f\n", a/b, c/d }'
awk -v a="${secs[volback zst]}" -v b="${secs[tar | zstd -T0 -3]}" -v c="${size[volback zst]}" -v d="${size[tar | zstd -T0 -3]}" \
  'BEGIN { printf "zst: volback/tar time ratio %.2f, size ratio %.3f\n", a/b, c/d }'
