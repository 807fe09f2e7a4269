#!/usr/bin/env bash
# volback's restic-format repository writer against restic 0.14 itself, in one run on the
# same dataset (bench/make-dataset.sh): the first backup into a new local repository, a
# second on unchanged data, a third after changing 1% of the files; then each tool's
# `check --read-data` and `restore` of the latest snapshot of its own repository, and
# restic's check of volback's repository. Wall time, peak RSS and the repository's size,
# with volback's ratios (restic / volback: above 1 means volback is faster or smaller).
#
#   bench/repository-vs-restic.sh [--tiny]
#
# volback writes through volback-restic-tool (tools/restic_tool_main.cpp: the archiver of
# src/volback/restic, with its pack pipeline) and checks and restores with volback itself
# (`volback check`, `volback restore latest --to`). restic runs with its defaults
# (compression auto, the machine's cores) and --no-cache on reads. --tiny: pgbench -s 1, 300 files, 4 MiB.
# Environment: VOLBACK_BENCH_DIR (dataset, default /var/tmp/volback-bench-repo),
# VOLBACK_BIN (default build/volback; the tool is beside it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin_dir=$(dirname "${VOLBACK_BIN:-$root/build/volback}")
tool=$bin_dir/volback-restic-tool
volback=$bin_dir/volback
for built in "$tool" "$volback"; do
  [[ -x $built ]] || { echo "bench: $built is missing (scripts/build.sh builds it)" >&2; exit 1; }
done
command -v restic >/dev/null || { echo "bench: restic is missing (apt-get install restic)" >&2; exit 1; }

scale=20 small=10000 upload=200
[[ ${1:-} == --tiny ]] && { scale=1 small=300 upload=4; }
dataset=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench-repo}-$scale-$small-$upload
[[ -d $dataset ]] || bash "$here/make-dataset.sh" "$dataset" "$scale" "$small" "$upload" >/dev/null
work=$(mktemp -d /var/tmp/volback-bench-repo-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/backup
cp -a "$dataset/backup" "$src"
find "$src" -type f -print0 | xargs -0 cat >/dev/null  # a warm page cache for both
export RESTIC_PASSWORD=bench

declare -A wall rss
# measure NAME COMMAND... — wall seconds and peak RSS (MiB) of COMMAND.
measure() {
  local name=$1
  shift
  sync  # no writeback of an earlier step competes with this one
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
    { echo "bench: $name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
  read -r wall[$name] kib <"$work/time"
  rss[$name]=$((kib / 1024))
}
repo_size() { du -sb "$1" | cut -f1; }

# change_one_percent — rewrites 1% of the files (every 100th, sorted) with new content.
change_one_percent() {
  find "$src" -type f -size +0 | LC_ALL=C sort | awk 'NR % 100 == 0' | while IFS= read -r f; do
    head -c "$(stat -c %s "$f")" /dev/urandom >"$f"
  done
}

"$tool" init "$work/volback-repo" >/dev/null
restic --no-cache -q -r "$work/restic-repo" init >/dev/null
measure volback-first "$tool" backup "$work/volback-repo" bench "$src"
measure restic-first restic -r "$work/restic-repo" backup -q --host bench "$src"
measure volback-second "$tool" backup "$work/volback-repo" bench "$src"
measure restic-second restic -r "$work/restic-repo" backup -q --host bench "$src"
change_one_percent
measure volback-third "$tool" backup "$work/volback-repo" bench "$src"
measure restic-third restic -r "$work/restic-repo" backup -q --host bench "$src"
export RESTIC_REPOSITORY=$work/volback-repo
measure volback-check "$volback" check --read-data
measure restic-check restic --no-cache -r "$work/restic-repo" check --read-data
measure interop-check restic --no-cache -r "$work/volback-repo" check --read-data
mkdir "$work/restored-volback"
measure volback-restore "$volback" restore latest --to "$work/restored-volback"
rm -rf "$work/restored-volback"
measure restic-restore restic --no-cache -r "$work/restic-repo" restore latest --target "$work/restored-restic"
rm -rf "$work/restored-restic"

bytes=$(du -sb "$dataset/backup" | cut -f1)
printf 'dataset: %s, %s MiB, %s files; %s cores\n' "$dataset" "$((bytes >> 20))" \
  "$(find "$src" -type f | wc -l)" "$(nproc)"
printf '%-10s %12s %12s %9s %10s %10s\n' step "volback s" "restic s" ratio "volback MiB" "restic MiB"
for step in first second third check restore; do
  printf '%-10s %12s %12s %9.2f %10s %10s\n' "$step" "${wall[volback-$step]}" "${wall[restic-$step]}" \
    "$(awk -v r="${wall[restic-$step]}" -v v="${wall[volback-$step]}" 'BEGIN {print r / (v + 0.001)}')" \
    "${rss[volback-$step]}" "${rss[restic-$step]}"
done
echo "(check --read-data and restore: each tool on its own repository; RSS in MiB)"
printf 'restic check --read-data of volback'"'"'s repository: %s s (passed)\n' "${wall[interop-check]}"
printf 'repository size: volback %s bytes, restic %s bytes (restic / volback %.3f)\n' \
  "$(repo_size "$work/volback-repo")" "$(repo_size "$work/restic-repo")" \
  "$(awk -v r="$(repo_size "$work/restic-repo")" -v v="$(repo_size "$work/volback-repo")" 'BEGIN {print r / v}')"
grep -h '^snapshot' "$work"/volback-*.out | sed 's/^/volback: /'
