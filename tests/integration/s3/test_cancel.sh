#!/usr/bin/env bash
# SIGTERM during a multipart upload: the run is cancelled, the multipart upload is
# aborted (not left for the next run), no object appears, and the exit status is non-zero.
# volback is signalled once its debug log shows the third part going up.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

make_random_file "$SRC/data.bin" $((120 * 1024 * 1024))
env -i PATH=/usr/bin:/bin HOME="$T" TZ=UTC VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" \
  VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" BACKUP_SOURCES="$SRC" BACKUP_ARCHIVE="$T/none" \
  "${S3_ENV[@]}" BACKUP_COMPRESSION=none AWS_PART_SIZE=5 AWS_UPLOAD_CONCURRENCY=2 LOG_LEVEL=debug \
  "$VOLBACK_BIN" backup >"$VOLBACK_LOG" 2>&1 </dev/null &
pid=$!
for _ in $(seq 2000); do
  grep -q 'msg="Uploading part".*part=3' "$VOLBACK_LOG" && break
  kill -0 "$pid" 2>/dev/null || fail "volback ended before parts were in flight"
  sleep 0.01
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
grep -v 'level=DEBUG' "$VOLBACK_LOG" | tail -n 8
((rc != 0)) || fail "a cancelled run exited 0"
grep -q 'Aborted the unfinished multipart upload' "$VOLBACK_LOG" || fail "the upload was not aborted"
[[ -z $(s3_uploads) ]] || fail "ListMultipartUploads is not empty: $(s3_uploads)"
[[ -z $(s3_keys) ]] || fail "an object appeared: $(s3_keys)"
assert_no_file "$VOLBACK_STATE_DIR/s3-stale-uploads"
echo "PASS"
