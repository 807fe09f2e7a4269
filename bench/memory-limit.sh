#!/usr/bin/env bash
# Memory benchmark: one backup of --mib MiB (default 300) of random data to the s3 suite's
# Swift (tests/integration/s3/services.sh, 127.0.0.1:4570) with default settings, for each
# codec (gz, zst, none), without a memory limit and inside a memory cgroup of each --limits
# size (default "96 48 25" MiB; swap is off on CI machines). Prints the exit status, peak
# RSS (/usr/bin/time) and the cgroup's peak charge (v1 memory.max_usage_in_bytes, v2
# memory.peak where the kernel has it) and the plan volback printed. Needs root and a memory
# cgroup controller (v1 or v2). Not a test: the numbers depend on the machine.
#
#   bench/memory-limit.sh [--mib N] [--limits "96 48 25"]
#
# Environment: VOLBACK_BIN (default build/volback), VOLBACK_BENCH_DIR (default
# /var/tmp/volback-bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
mib=300 limits="96 48 25"
while (($#)); do
  case $1 in
    --mib) mib=$2; shift ;;
    --limits) limits=$2; shift ;;
    *) echo "usage: $0 [--mib N] [--limits \"96 48 25\"]" >&2; exit 2 ;;
  esac
  shift
done
bin=${VOLBACK_BIN:-$repo/build/volback}
dir=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}/memory
endpoint=http://127.0.0.1:${VOLBACK_S3_PORT:-4570}
[[ -x $bin ]] || { echo "no volback binary at $bin" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (Debian package time)" >&2; exit 1; }
curl -sf "$endpoint/healthcheck" >/dev/null || { echo "no S3 server on $endpoint" >&2; exit 1; }

# The cgroup to run in: a child of this shell's own memory cgroup.
own_v1=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
own_v2=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
if [[ -n $own_v1 && -d /sys/fs/cgroup/memory ]]; then
  cg=/sys/fs/cgroup/memory${own_v1%/}/volback-bench-$$
  limit_file=memory.limit_in_bytes peak_file=memory.max_usage_in_bytes
elif [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  cg=/sys/fs/cgroup${own_v2%/}/volback-bench-$$
  limit_file=memory.max peak_file=memory.peak
else
  echo "no memory cgroup controller" >&2
  exit 1
fi
mkdir "$cg"
trap 'rmdir "$cg" 2>/dev/null || true' EXIT

mkdir -p "$dir/src/data" "$dir/spool"
[[ $(stat -c %s "$dir/src/data/random.bin" 2>/dev/null || echo 0) == $((mib << 20)) ]] ||
  head -c $((mib << 20)) /dev/urandom >"$dir/src/data/random.bin"
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=$dir/aws.config
printf '[default]\ns3 =\n  addressing_style = path\n' >"$AWS_CONFIG_FILE"
bucket=volback-bench-memory-$$
AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
  env -u AWS_CA_BUNDLE /usr/bin/aws --endpoint-url "$endpoint" s3 mb "s3://$bucket" >/dev/null

# run LIMIT_MIB CODEC — one backup; LIMIT_MIB "none" runs outside the cgroup.
run() {
  local limit=$1 codec=$2 status rss peak=- plan
  local -a cmd=(env -i PATH=/usr/bin:/bin HOME="$dir" BACKUP_SOURCES="$dir/src" BACKUP_COMPRESSION="$codec"
    AWS_S3_BUCKET_NAME="$bucket" AWS_ENDPOINT="$endpoint" AWS_ACCESS_KEY_ID=test:tester
    AWS_SECRET_ACCESS_KEY=testing VOLBACK_STATE_DIR="$dir/state" VOLBACK_SPOOL_DIR="$dir/spool"
    VOLBACK_LOCK_FILE="$dir/lock" BACKUP_RETENTION_DAYS=1)
  if [[ $limit == none ]]; then
    plan=$("${cmd[@]}" "$bin" print-config 2>/dev/null | sed -n 's/^memory plan: //p')
    /usr/bin/time -f '%x %M' -o "$dir/time" "${cmd[@]}" "$bin" backup >/dev/null 2>&1 || true
  else
    echo $((limit << 20)) >"$cg/$limit_file"
    [[ $peak_file != memory.max_usage_in_bytes ]] || echo 0 >"$cg/$peak_file"
    plan=$(sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$cg" "${cmd[@]}" "$bin" print-config 2>/dev/null |
      sed -n 's/^memory plan: //p')
    [[ $peak_file != memory.max_usage_in_bytes ]] || echo 0 >"$cg/$peak_file"
    sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$cg" \
      /usr/bin/time -f '%x %M' -o "$dir/time" "${cmd[@]}" "$bin" backup >/dev/null 2>&1 || true
    [[ -f $cg/$peak_file ]] && peak="$(($(cat "$cg/$peak_file") >> 20)) MiB"
  fi
  read -r status rss < <(tail -n 1 "$dir/time" | sed 's/^Command terminated by signal \([0-9]*\)/signal-\1 0/')
  [[ $status == 0 ]] && status=ok
  printf '%-6s %-5s %-10s %8s %12s   %s\n' "$limit" "$codec" "$status" "$((rss >> 10)) MiB" "$peak" "$plan"
}

printf '%-6s %-5s %-10s %8s %12s   %s\n' limit codec result "peak RSS" "cgroup peak" "memory plan"
for limit in none $limits; do
  for codec in gz zst none; do
    run "$limit" "$codec"
  done
done
