#!/usr/bin/env bash
# Containers stopped, no local backend: the archive goes to the spool at disk speed and the
# S3 upload tails the spool while it grows. Parts go up before the seal (the debug log shows
# "Uploading part" before the containers are restarted), the container is back at the seal,
# the object is whole, and the spool is removed.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
# Incompressible data through single-threaded gzip -9: the archive takes seconds to write,
# while its first 5 MiB part is ready after a fraction of that.
make_random_file "$SRC/app/data.bin" $((48 * 1024 * 1024))
mkdir -p "$T/spool"
t0=$(now_ns)
run_docker_backup "${S3_ENV[@]}" BACKUP_ARCHIVE="$T/none" VOLBACK_SPOOL_DIR="$T/spool" \
  BACKUP_COMPRESSION=gz BACKUP_COMPRESSION_LEVEL=9 GZIP_PARALLELISM=1 AWS_PART_SIZE=5 LOG_LEVEL=debug
assert_success
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
first_part=$(grep -n 'msg="Uploading part"' "$VOLBACK_LOG" | head -n 1 | cut -d: -f1)
restarted=$(grep -n 'Restarted 1 out of 1 stopped container' "$VOLBACK_LOG" | head -n 1 | cut -d: -f1)
[[ -n $first_part && -n $restarted ]] || fail "log lines missing (part: '$first_part', restart: '$restarted')"
((first_part < restarted)) || fail "no part went up before the seal: the upload did not tail the spool"
parts_before=$(head -n "$restarted" "$VOLBACK_LOG" | grep -c 'msg="Uploading part"')
echo "$parts_before part(s) went up before the containers were restarted"
assert_empty_dir "$T/spool"
key=$(s3_keys)
aws s3 cp "s3://$BUCKET/$key" "$T/downloaded.tar.gz" >/dev/null
extract_archive "$T/downloaded.tar.gz" "$T/x"
cmp "$SRC/app/data.bin" "$(extracted_source "$T/x")/app/data.bin" || fail "the object is not whole"
echo "PASS"
