#!/usr/bin/env bash
# volback's benchmark: one backup of a realistic dataset by volback (gz and zst) against the
# standard tools on the same machine, then the restores, with a table of medians and
# volback's ratios. The single entry point of bench/.
#
#   bench/backup-vs-tar.sh [--tiny] [--reps N] [--restore-reps N] [--doubled]
#
# Dataset (bench/make-dataset.sh), built once and kept in $VOLBACK_BENCH_DIR (default
# /var/tmp/volback-bench): a PostgreSQL 15 data directory filled by `pgbench -i -s 100`,
# 30,000 small text and JSON files, 300 MiB of incompressible uploads; about 3 GiB.
# --tiny builds a few MiB instead (pgbench -s 1, 300 files, 4 MiB): the CI smoke run.
# --doubled also backs up the dataset twice over (a second copy) with volback only, to show
# that peak RSS is bounded, not proportional.
#
# Measured, alternating, --reps times (default 3), medians reported (peak RSS: the
# largest seen): volback gz, volback zst, tar | pigz -6, tar | gzip -6, tar | zstd -T0 -3,
# and restic's first backup into a new local repository; then encryption: volback gz and zst
# with each method (GPG_PASSPHRASE, GPG_PUBLIC_KEY_RING_FILE with a cv25519 key,
# AGE_PASSPHRASE, AGE_PUBLIC_KEYS with an age key), `tar | pigz -6 | gpg --symmetric` (AES-256,
# no compression inside, like volback) and `tar | zstd -T0 -3 | age -r`. Besides wall time, CPU time
# (user + system, all processes of the run) is shown: it does not depend on what else the
# machine runs. Then restores, --restore-reps times (default 1: each writes the whole
# dataset to disk, and the harness must stay within 15 minutes on 2 cores; see
# VOLBACK_BENCH_RESTORE_DIR below): GNU tar on
# volback's archives and on the peers', volback's own gz reader feeding tar -x, and
# `volback restore --to` (which also checks every file against the manifest before it
# moves anything into place). Last, what the manifest costs: the same archive written by
# volback-archive-tool (tools/archive_tool_main.cpp, volback's own writer) with and without
# the manifest, for none and gz, --reps times; and its bytes per entry.
# The page cache is warm for every run (the dataset is read once before, and fits in
# RAM). Installs what it needs (postgresql pigz zstd restic time gnupg age) with apt-get when
# missing. Environment: VOLBACK_BIN (default build/volback; built when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

mode=full reps=3 restore_reps=1 doubled=0
while (($#)); do
  case $1 in
    --tiny) mode=tiny ;;
    --reps) reps=$2; shift ;;
    --restore-reps) restore_reps=$2; shift ;;
    --doubled) doubled=1 ;;
    *) echo "usage: bench/backup-vs-tar.sh [--tiny] [--reps N] [--restore-reps N] [--doubled]" >&2; exit 2 ;;
  esac
  shift
done

# ------------------------------------------------------------------------------------------
# Prerequisites
need=()
for pkg in postgresql pigz zstd restic time tar gzip gnupg age; do
  dpkg-query -W -f='${db:Status-Status}\n' "$pkg" 2>/dev/null | grep -qx installed || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}"
  sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get -q update >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -q -y install --no-install-recommends "${need[@]}" >/dev/null
fi
bin=${VOLBACK_BIN:-$repo/build/volback}
if [[ ! -x $bin ]]; then
  echo "bench: building volback"
  bash scripts/build.sh >/dev/null
  bin=$repo/build/volback
fi
codec_tool=$(dirname "$bin")/volback-codec-tool
archive_tool=$(dirname "$bin")/volback-archive-tool

work=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}
mkdir -p "$work"
if [[ $mode == full ]]; then
  data=$work/dataset-full; dataset_args=(100 30000 300)
else
  data=$work/dataset-tiny; dataset_args=(1 300 4)
fi
if [[ ! -d $data/backup ]]; then
  echo "bench: building the $mode dataset in $data"
  bash bench/make-dataset.sh "$data" "${dataset_args[@]}"
fi
src=$data/backup
out=$work/out
# VOLBACK_BENCH_RESTORE_DIR: where restores write; a tmpfs (/dev/shm/...) takes the disk,
# whose write-back makes each restore slower than the one before, out of the comparison.
restore_dir=${VOLBACK_BENCH_RESTORE_DIR:-$work/restore}

bytes=$(du -sb --apparent-size "$src" | cut -f1)
files=$(find "$src" -type f | wc -l)
pg_bytes=$(du -sb --apparent-size "$src/postgres" | cut -f1)
tar -cf - -C "$data" backup | cat >/dev/null  # warm the page cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------
# Measurement helpers
declare -A wall_runs cpu_runs rss_max size_last
# measure NAME OUTPUT_PATH COMMAND... — runs COMMAND under /usr/bin/time -v in a fresh
# $out; records wall seconds, peak RSS (KiB) and the size of OUTPUT_PATH (a file or a dir).
measure() {
  local name=$1 path=$2 t
  shift 2
  t=$work/time.txt
  /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$work/stderr.txt" ||
    { echo "bench: '$name' failed:" >&2; tail -n 20 "$work/stderr.txt" >&2; exit 1; }
  local secs kib cpu
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$t")
  cpu_runs[$name]+="$cpu "
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  kib=$(awk -F': ' '/Maximum resident/ {print $2}' "$t")
  wall_runs[$name]+="$secs "
  ((kib > ${rss_max[$name]:-0})) && rss_max[$name]=$kib
  [[ -n $path ]] && size_last[$name]=$(du -sb --apparent-size "$path" | cut -f1)
  return 0
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

vb() {  # codec [source [VAR=VALUE...]]
  local codec=$1 source=${2:-$src}
  shift $(($# < 2 ? $# : 2))
  env -i PATH=/usr/bin:/bin HOME="$work" BACKUP_SOURCES="$source" BACKUP_ARCHIVE="$out" \
    BACKUP_COMPRESSION="$codec" BACKUP_FILENAME="vb.{{ .Extension }}" \
    VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state" "$@" "$bin" backup
}
export -f vb
export bin work out src data

# The encryption keys, made once: a GnuPG home with an ed25519 key and its cv25519 subkey,
# and an age identity.
keys=$work/keys
if [[ ! -f $keys/age.pub ]]; then
  rm -rf "$keys" && mkdir -m 700 "$keys"
  GNUPGHOME=$keys gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'volback bench <bench@example.invalid>' future-default default never
  GNUPGHOME=$keys gpg --batch --armor --export >"$keys/pub.asc"
  age-keygen -o "$keys/age.txt" 2>/dev/null
  age-keygen -y "$keys/age.txt" >"$keys/age.pub"
fi
export keys
bench_pass=volback-bench-passphrase
export bench_pass
methods=("gpg passphrase" "gpg public key" "age passphrase" "age public key")
# encryption_env METHOD — volback's settings for METHOD.
encryption_env() {
  case $1 in
    "gpg passphrase") echo "GPG_PASSPHRASE=$bench_pass" ;;
    "gpg public key") echo "GPG_PUBLIC_KEY_RING_FILE=$keys/pub.asc" ;;
    "age passphrase") echo "AGE_PASSPHRASE=$bench_pass" ;;
    "age public key") echo "AGE_PUBLIC_KEYS=$(cat "$keys/age.pub")" ;;
  esac
}

backups=("volback gz" "volback zst" "tar | pigz -6" "tar | gzip -6" "tar | zstd -T0 -3" "restic backup")
for c in gz zst; do
  for m in "${methods[@]}"; do backups+=("volback $c, $m"); done
done
backups+=("tar | pigz -6 | gpg -c" "tar | zstd -T0 -3 | age -r")
run_backup() {
  rm -rf "$out"; mkdir -p "$out"
  case $1 in
    "volback gz") measure "$1" "$out/vb.tar.gz" bash -c 'vb gz' ;;
    "volback zst") measure "$1" "$out/vb.tar.zst" bash -c 'vb zst' ;;
    "tar | pigz -6") measure "$1" "$out/p.tar.gz" bash -c 'tar -cf - -C "$data" backup | pigz -6 >"$out/p.tar.gz"' ;;
    "tar | gzip -6") measure "$1" "$out/g.tar.gz" bash -c 'tar -cf - -C "$data" backup | gzip -6 >"$out/g.tar.gz"' ;;
    "tar | zstd -T0 -3") measure "$1" "$out/z.tar.zst" bash -c 'tar -cf - -C "$data" backup | zstd -q -T0 -3 -o "$out/z.tar.zst"' ;;
    "volback gz, "* | "volback zst, "*)
      local codec method ext
      codec=${1#volback }; codec=${codec%%,*}; method=${1#*, }
      ext=gpg; [[ $method == age* ]] && ext=age
      measure "$1" "$out/vb.tar.$codec.$ext" bash -c 'vb "$1" "$src" "$2"' _ "$codec" "$(encryption_env "$method")"
      rm -f "$out/vb.tar.$codec.$ext"
      ;;
    "tar | pigz -6 | gpg -c")
      measure "$1" "$out/p.tar.gz.gpg" bash -c 'tar -cf - -C "$data" backup | pigz -6 |
        GNUPGHOME="$keys" gpg --batch --quiet --pinentry-mode loopback --passphrase "$bench_pass" --symmetric \
          --cipher-algo AES256 --compress-algo none -o "$out/p.tar.gz.gpg"'
      rm -f "$out/p.tar.gz.gpg"
      ;;
    "tar | zstd -T0 -3 | age -r")
      measure "$1" "$out/z.tar.zst.age" bash -c 'tar -cf - -C "$data" backup | zstd -q -T0 -3 |
        age -r "$(cat "$keys/age.pub")" -o "$out/z.tar.zst.age"'
      rm -f "$out/z.tar.zst.age"
      ;;
    "restic backup")
      RESTIC_PASSWORD=volback-bench restic init --quiet --repo "$out/restic" >/dev/null
      measure "$1" "$out/restic" env RESTIC_PASSWORD=volback-bench RESTIC_CACHE_DIR="$work/restic-cache" \
        restic backup --quiet --repo "$out/restic" "$src"
      rm -rf "$work/restic-cache"
      ;;
  esac
  # Keep the archives of the last repetition for the restores.
  mkdir -p "$work/keep"
  find "$out" -maxdepth 1 -type f -exec mv -f {} "$work/keep/" \;
}

echo "bench: $reps repetitions of ${#backups[@]} backups, alternating ..." >&2
start=$(date +%s)
for ((rep = 1; rep <= reps; rep++)); do
  for b in "${backups[@]}"; do run_backup "$b"; done
done
backup_secs=$(($(date +%s) - start))

restores=("tar -xzf volback.tar.gz" "volback restore --to (gz)" "tar --zstd -xf volback.tar.zst"
  "volback gz reader | tar -x" "tar -xzf pigz.tar.gz" "tar --zstd -xf zstd.tar.zst")
export codec_tool restore_dir
run_restore() {
  rm -rf "$restore_dir"; mkdir -p "$restore_dir"
  sync  # the previous restore's dirty pages are written before this one is timed
  local k=$work/keep
  case $1 in
    "tar -xzf volback.tar.gz") measure "$1" "" tar -xzf "$k/vb.tar.gz" -C "$restore_dir" ;;
    "volback restore --to (gz)")
      measure "$1" "" env -i PATH=/usr/bin:/bin HOME="$work" BACKUP_ARCHIVE="$k" VOLBACK_LOCK_FILE="$work/lock" \
        VOLBACK_STATE_DIR="$work/state" "$bin" restore vb.tar.gz --to "$restore_dir"
      ;;
    "tar --zstd -xf volback.tar.zst") measure "$1" "" tar --zstd -xf "$k/vb.tar.zst" -C "$restore_dir" ;;
    "volback gz reader | tar -x") measure "$1" "" bash -c '"$codec_tool" decompress gz <"$work/keep/vb.tar.gz" | tar -xf - -C "$restore_dir"' ;;
    "tar -xzf pigz.tar.gz") measure "$1" "" tar -xzf "$k/p.tar.gz" -C "$restore_dir" ;;
    "tar --zstd -xf zstd.tar.zst") measure "$1" "" tar --zstd -xf "$k/z.tar.zst" -C "$restore_dir" ;;
  esac
}
[[ -x $codec_tool ]] || restores=("${restores[@]:0:3}" "${restores[@]:4}")
echo "bench: $restore_reps repetition(s) of ${#restores[@]} restores, alternating ..." >&2
start=$(date +%s)
for ((rep = 1; rep <= restore_reps; rep++)); do
  for r in "${restores[@]}"; do run_restore "$r"; done
done
rm -rf "$restore_dir"
restore_secs=$(($(date +%s) - start))

manifest_runs=()
if [[ -x $archive_tool ]]; then
  manifest_runs=("archive none, manifest" "archive none, no manifest" "archive gz, manifest" "archive gz, no manifest")
  echo "bench: $reps repetitions of ${#manifest_runs[@]} archives with and without the manifest ..." >&2
  declare -A tool_entries
  for ((rep = 1; rep <= reps; rep++)); do
    for m in "${manifest_runs[@]}"; do
      rm -rf "$out"; mkdir -p "$out"
      read -r codec with <<<"$(sed -E 's/archive ([a-z]+), (no )?manifest/\1 \2/' <<<"$m")"
      measure "$m" "$out/a.tar" "$archive_tool" "$src" "$out/a.tar" "$codec" 2 "$(nproc)" "${with:+no-}manifest"
      tool_entries[$m]=$(tar -tf "$out/a.tar" 2>/dev/null | wc -l || true)
    done
  done
  rm -rf "$out"
fi

# ------------------------------------------------------------------------------------------
# The table
declare -A med cpu
for name in "${backups[@]}" "${restores[@]}" "${manifest_runs[@]}"; do
  med[$name]=$(median <<<"${wall_runs[$name]}")
  cpu[$name]=$(median <<<"${cpu_runs[$name]}")
done
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1e6}'; }
echo
echo "volback benchmark, $(date -u +%FT%TZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo "volback $("$bin" --version 2>/dev/null | head -n 1 || echo '?'); $(pigz --version 2>&1 | head -n 1); $(gzip --version | head -n 1); $(zstd --version | head -n 1 | sed 's/\*//g;s/,.*//'); $(restic version | cut -d' ' -f1-2)"
echo "dataset ($mode): $(mb "$bytes") MB in $files files (PostgreSQL $(mb "$pg_bytes") MB); page cache warm for every run"
echo "load average before the runs: $load_before (other work on the machine inflates wall times, not CPU times)"
echo "backups: medians of $reps alternating runs; restores: of $restore_reps; peak RSS = largest of the runs (for pipelines: the largest process)"
echo
printf '%-34s %9s %9s %9s %12s %9s\n' "backup" "wall s" "MB/s" "CPU s" "output MB" "RSS MiB"
for name in "${backups[@]}"; do
  printf '%-34s %9.2f %9.1f %9.2f %12s %9d\n' "$name" "${med[$name]}" \
    "$(awk -v b="$bytes" -v s="${med[$name]}" 'BEGIN {print b / 1e6 / s}')" "${cpu[$name]}" "$(mb "${size_last[$name]}")" \
    $((rss_max[$name] / 1024))
done
echo
echo "volback's ratios (volback / other: time < 1 is faster, size < 1 is smaller)"
printf '%-30s %-28s %8s %8s %12s %8s\n' "volback" "against" "time" "size" "throughput" "CPU"
ratio_line() {  # vb peer
  awk -v a="${med[$1]}" -v b="${med[$2]}" -v c="${size_last[$1]}" -v d="${size_last[$2]}" -v x="$1" -v y="$2" \
    -v e="${cpu[$1]}" -v f="${cpu[$2]}" \
    'BEGIN {printf "%-30s %-28s %8.3f %8.3f %11.2fx %8.3f\n", x, y, a / b, c / d, b / a, e / f}'
}
for peer in "tar | pigz -6" "tar | gzip -6" "tar | zstd -T0 -3" "restic backup"; do
  ratio_line "volback gz" "$peer"
  ratio_line "volback zst" "$peer"
done
for m in "${methods[@]}"; do ratio_line "volback gz, $m" "tar | pigz -6 | gpg -c"; done
for m in "${methods[@]}"; do ratio_line "volback zst, $m" "tar | zstd -T0 -3 | age -r"; done
echo
echo "encryption's cost (encrypted / unencrypted volback; throughput: the share of unencrypted throughput kept)"
printf '%-30s %8s %12s %10s %10s\n' "volback" "time" "throughput" "CPU" "+CPU s"
for c in gz zst; do
  for m in "${methods[@]}"; do
    awk -v a="${med[volback $c, $m]}" -v b="${med[volback $c]}" -v e="${cpu[volback $c, $m]}" -v f="${cpu[volback $c]}" \
      -v x="volback $c, $m" 'BEGIN {printf "%-30s %8.3f %11.2fx %10.3f %+10.2f\n", x, a / b, b / a, e / f, e - f}'
  done
done
echo
printf '%-32s %9s %9s %9s %9s\n' "restore (into an empty dir)" "wall s" "MB/s" "CPU s" "RSS MiB"
for name in "${restores[@]}"; do
  printf '%-32s %9.2f %9.1f %9.2f %9d\n' "$name" "${med[$name]}" \
    "$(awk -v b="$bytes" -v s="${med[$name]}" 'BEGIN {print b / 1e6 / s}')" "${cpu[$name]}" $((rss_max[$name] / 1024))
done
echo
echo "targets:"
awk -v a="${med[volback gz]}" -v b="${med[tar | pigz -6]}" -v c="${size_last[volback gz]}" -v d="${size_last[tar | pigz -6]}" \
  'BEGIN {t = b / a; s = c / d; printf "  gz:  throughput %.2fx tar|pigz -6 (target >= 3.0x), size %.3fx (target <= 1.10x): %s\n", t, s, (t >= 3 && s <= 1.10) ? "met" : "MISSED"}'
awk -v a="${med[volback zst]}" -v b="${med[tar | zstd -T0 -3]}" -v c="${size_last[volback zst]}" -v d="${size_last[tar | zstd -T0 -3]}" \
  'BEGIN {t = b / a; s = c / d; printf "  zst: throughput %.2fx tar|zstd -T0 -3 (target >= 1.2x), size %.3fx (target <= 1.0x): %s\n", t, s, (t >= 1.2 && s <= 1.0) ? "met" : "MISSED"}'
for c in gz zst; do
  kib=${rss_max[volback $c]}
  printf '  volback %s peak RSS %d MiB (target <= 64 MiB): %s\n' "$c" $((kib / 1024)) "$( ((kib <= 65536)) && echo met || echo MISSED)"
done
for c in gz zst; do
  for m in "${methods[@]}"; do
    awk -v a="${med[volback $c, $m]}" -v b="${med[volback $c]}" -v x="volback $c, $m" \
      'BEGIN {k = b / a; printf "  %s: %.0f%% of unencrypted throughput (target >= 90%%): %s\n", x, 100 * k, (k >= 0.90) ? "met" : "MISSED"}'
  done
done
awk -v a="${med[tar -xzf volback.tar.gz]}" -v b="${med[tar -xzf pigz.tar.gz]}" \
  'BEGIN {printf "  restore: GNU tar on volback.tar.gz takes %.2fx the time of GNU tar on pigz.tar.gz\n", a / b}'
awk -v a="${med[volback restore --to (gz)]}" -v b="${med[tar -xzf volback.tar.gz]}" \
  'BEGIN {printf "  restore: volback restore --to (every file checked) takes %.2fx the time of tar -xzf on the same archive (%.2fx throughput)\n", a / b, b / a}'
if ((${#manifest_runs[@]})); then
  echo
  echo "the manifest's cost (volback-archive-tool, medians of $reps; the manifest hashes every file with SHA-256)"
  for c in none gz; do
    with="archive $c, manifest" without="archive $c, no manifest"
    awk -v a="${med[$with]}" -v b="${med[$without]}" -v e="${cpu[$with]}" -v f="${cpu[$without]}" -v c="$c" \
      'BEGIN {printf "  %-4s wall %.2f s with, %.2f s without (%.2fx); CPU %.2f s with, %.2f s without (+%.2f s)\n", c, a, b, a / b, e, f, e - f}'
  done
  with="archive none, manifest" without="archive none, no manifest"
  awk -v a="${size_last[$with]}" -v b="${size_last[$without]}" -v n="${tool_entries[$with]}" \
    'BEGIN {printf "  manifest entry: %d bytes for %d entries, %.0f bytes per entry\n", a - b, n - 1, (a - b) / (n - 1)}'
fi

if ((doubled)); then
  twice=$work/dataset-$mode-doubled
  if [[ ! -d $twice ]]; then
    mkdir -p "$twice.tmp"
    cp -a "$src" "$twice.tmp/one" && cp -a "$src" "$twice.tmp/two" && mv "$twice.tmp" "$twice"
  fi
  tar -cf - -C "$twice" . | cat >/dev/null
  for c in gz zst; do
    rm -rf "$out"; mkdir -p "$out"
    measure "volback $c doubled" "$out/vb.tar.$c" bash -c "vb $c '$twice'"
    printf '  doubled dataset (%s MB): volback %s %.2f s, peak RSS %d MiB (target <= 64 MiB)\n' \
      "$(mb $((2 * bytes)))" "$c" "$(median <<<"${wall_runs[volback $c doubled]}")" $((rss_max[volback $c doubled] / 1024))
  done
fi
rm -rf "$out" "$work/keep"
GNUPGHOME=$keys gpgconf --kill gpg-agent 2>/dev/null || true
echo
echo "bench: backups ${backup_secs}s, restores ${restore_secs}s"
