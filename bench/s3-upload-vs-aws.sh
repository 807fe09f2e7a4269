#!/usr/bin/env bash
# Upload benchmark: the same 1 GiB incompressible file to the same S3 server (OpenStack
# Swift with s3api on 127.0.0.1, started by tests/integration/s3/services.sh), by volback
# (a backup with BACKUP_COMPRESSION=none, default part size and concurrency) and by
# `/usr/bin/aws s3 cp` (awscli's defaults: 8 MiB parts, 10 requests at once), alternating,
# --reps times (default 3). Prints each time, the medians, volback's peak RSS and the ratio
# volback / aws (below 1: volback is faster).
#
#   bench/s3-upload-vs-aws.sh [--reps N] [--mib N]
#
# Environment: VOLBACK_BIN (default build/volback), VOLBACK_BENCH_DIR (default
# /var/tmp/volback-bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
reps=3 mib=1024
while (($#)); do
  case $1 in
    --reps) reps=$2; shift ;;
    --mib) mib=$2; shift ;;
    *) echo "usage: $0 [--reps N] [--mib N]" >&2; exit 2 ;;
  esac
  shift
done
bin=${VOLBACK_BIN:-$repo/build/volback}
[[ -x $bin ]] || { echo "no volback binary at $bin (scripts/build.sh)" >&2; exit 1; }
[[ -x /usr/bin/aws ]] || { echo "/usr/bin/aws (Debian's awscli) is needed" >&2; exit 1; }
work=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}/s3
mkdir -p "$work/src" "$work/state"
port=${VOLBACK_S3_PORT:-4570}
endpoint=http://127.0.0.1:$port
bash tests/integration/s3/services.sh >/dev/null

file=$work/src/upload.bin
if [[ ! -f $file || $(stat -c %s "$file") != $((mib * 1024 * 1024)) ]]; then
  head -c $((mib * 1024 * 1024)) /dev/urandom >"$file"
fi
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=$work/aws.config AWS_PAGER=""
printf '[default]\ns3 =\n  addressing_style = path\n' >"$AWS_CONFIG_FILE"
aws() {
  env -u AWS_CA_BUNDLE AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
    /usr/bin/aws --endpoint-url "$endpoint" "$@"
}
bucket=bench-upload
aws s3 mb "s3://$bucket" >/dev/null 2>&1 || true
cat "$file" >/dev/null  # warm the page cache for both

now() { date +%s.%N; }
median() { LC_ALL=C sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
volback_times=() aws_times=() rss=0
for ((i = 1; i <= reps; i++)); do
  aws s3 rm --recursive --quiet "s3://$bucket/"
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" env -i PATH=/usr/bin:/bin HOME="$work" TZ=UTC \
    VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state" BACKUP_SOURCES="$work/src" \
    BACKUP_ARCHIVE="$work/no-local" BACKUP_COMPRESSION=none AWS_S3_BUCKET_NAME=$bucket AWS_ENDPOINT="$endpoint" \
    AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing "$bin" backup >"$work/volback.log" 2>&1 ||
    { tail "$work/volback.log"; exit 1; }
  t1=$(now)
  volback_times+=("$(echo "$t1 - $t0" | bc)")
  r=$(cat "$work/rss"); ((r > rss)) && rss=$r
  aws s3 rm --recursive --quiet "s3://$bucket/"
  t0=$(now)
  aws s3 cp --quiet "$file" "s3://$bucket/upload.bin"
  t1=$(now)
  aws_times+=("$(echo "$t1 - $t0" | bc)")
  echo "rep $i: volback ${volback_times[-1]} s, aws s3 cp ${aws_times[-1]} s"
done
aws s3 rm --recursive --quiet "s3://$bucket/"
v=$(printf '%s\n' "${volback_times[@]}" | median)
a=$(printf '%s\n' "${aws_times[@]}" | median)
echo "upload of $mib MiB to Swift s3api on 127.0.0.1, median of $reps:"
printf '  volback backup (none)  %6.2f s  %6.1f MiB/s  peak RSS %d MiB\n' "$v" "$(echo "$mib / $v" | bc -l)" $((rss / 1024))
printf '  aws s3 cp              %6.2f s  %6.1f MiB/s\n' "$a" "$(echo "$mib / $a" | bc -l)"
printf '  ratio volback/aws      %6.2f\n' "$(echo "$v / $a" | bc -l)"
