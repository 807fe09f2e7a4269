#!/usr/bin/env bash
# Restore benchmark: one gzip backup of the benchmark dataset (bench/make-dataset.sh: a
# PostgreSQL cluster, small files, incompressible uploads) on the same S3 server (OpenStack
# Swift with s3api on 127.0.0.1, started by tests/integration/s3/services.sh), restored by
# `volback restore latest --to DIR` (ranged GETs in flight as the memory plan allows, checked
# against the manifest) and by `/usr/bin/aws s3 cp` of the object followed by `tar -xzf`
# (GNU tar with gzip), alternating, --reps times (default 3). Prints each time, the medians,
# volback's peak RSS and the ratio volback / (aws + tar) (below 1: volback is faster).
#
#   bench/s3-restore-vs-aws.sh [--reps N] [--scale N] [--files N] [--upload-mib N]
#
# Environment: VOLBACK_BIN (default build/volback), VOLBACK_BENCH_DIR (default
# /var/tmp/volback-bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
reps=3 scale=20 files=5000 upload_mib=300
while (($#)); do
  case $1 in
    --reps) reps=$2; shift ;;
    --scale) scale=$2; shift ;;
    --files) files=$2; shift ;;
    --upload-mib) upload_mib=$2; shift ;;
    *) echo "usage: $0 [--reps N] [--scale N] [--files N] [--upload-mib N]" >&2; exit 2 ;;
  esac
  shift
done
bin=${VOLBACK_BIN:-$repo/build/volback}
[[ -x $bin ]] || { echo "no volback binary at $bin (scripts/build.sh)" >&2; exit 1; }
[[ -x /usr/bin/aws ]] || { echo "/usr/bin/aws (Debian's awscli) is needed" >&2; exit 1; }
work=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}/s3-restore
data=$work/dataset-$scale-$files-$upload_mib
mkdir -p "$work/state"
[[ -d $data ]] || bash bench/make-dataset.sh "$data" "$scale" "$files" "$upload_mib"
port=${VOLBACK_S3_PORT:-4570}
endpoint=http://127.0.0.1:$port
bash tests/integration/s3/services.sh >/dev/null

export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=$work/aws.config AWS_PAGER=""
printf '[default]\ns3 =\n  addressing_style = path\n' >"$AWS_CONFIG_FILE"
aws() {
  env -u AWS_CA_BUNDLE AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
    /usr/bin/aws --endpoint-url "$endpoint" "$@"
}
bucket=bench-restore
aws s3 mb "s3://$bucket" >/dev/null 2>&1 || true
aws s3 rm --recursive --quiet "s3://$bucket/"
volback=(env -i PATH=/usr/bin:/bin HOME="$work" TZ=UTC VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state"
  BACKUP_SOURCES="$data/backup" BACKUP_ARCHIVE="$work/no-local" AWS_S3_BUCKET_NAME=$bucket AWS_ENDPOINT="$endpoint"
  AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing "$bin")
"${volback[@]}" backup >"$work/backup.log" 2>&1 || { tail "$work/backup.log"; exit 1; }
key=$(aws s3 ls "s3://$bucket/" | awk '{print $4}' | head -n1)
bytes=$(aws s3 ls "s3://$bucket/$key" | awk '{print $3}')
mib=$((bytes >> 20))

now() { date +%s.%N; }
median() { LC_ALL=C sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
volback_times=() aws_times=() rss=0
for ((i = 1; i <= reps; i++)); do
  rm -rf "$work/restored" "$work/extracted" "$work/object.tar.gz"
  sync
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" "${volback[@]}" restore latest --to "$work/restored" >"$work/restore.log" 2>&1 ||
    { tail "$work/restore.log"; exit 1; }
  t1=$(now)
  volback_times+=("$(echo "$t1 - $t0" | bc)")
  r=$(cat "$work/rss"); ((r > rss)) && rss=$r
  rm -rf "$work/restored"
  sync
  t0=$(now)
  aws s3 cp --quiet "s3://$bucket/$key" "$work/object.tar.gz"
  mkdir -p "$work/extracted"
  tar -xzf "$work/object.tar.gz" -C "$work/extracted"
  t1=$(now)
  aws_times+=("$(echo "$t1 - $t0" | bc)")
  rm -rf "$work/extracted" "$work/object.tar.gz"
  echo "rep $i: volback restore ${volback_times[-1]} s, aws s3 cp + tar -x ${aws_times[-1]} s"
done
aws s3 rm --recursive --quiet "s3://$bucket/"
v=$(printf '%s\n' "${volback_times[@]}" | median)
a=$(printf '%s\n' "${aws_times[@]}" | median)
echo "restore of a $mib MiB gzip backup ($(du -sh "$data/backup" | cut -f1) of files) from Swift s3api on 127.0.0.1, median of $reps:"
printf '  volback restore --to       %6.2f s  peak RSS %d MiB\n' "$v" $((rss / 1024))
printf '  aws s3 cp + tar -xzf       %6.2f s\n' "$a"
printf '  ratio volback/(aws+tar)    %6.2f\n' "$(echo "$v / $a" | bc -l)"
