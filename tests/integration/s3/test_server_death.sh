#!/usr/bin/env bash
# Test 4: the S3 server dies mid-upload. volback is frozen (SIGSTOP) once parts are in
# flight (its debug log shows the third part going up), Swift's proxy is killed, volback
# continues (SIGCONT) and exhausts its short retry budget: it exits non-zero, no object
# exists, and the multipart upload it could not abort is recorded in VOLBACK_STATE_DIR. With
# Swift back, the next run succeeds and aborts the recorded upload: ListMultipartUploads is
# then empty.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

restore_swift() {
  [[ -n ${VB_PID:-} ]] && { kill -CONT "$VB_PID" 2>/dev/null || true; }
  curl -sf "$S3_ENDPOINT/healthcheck" >/dev/null 2>&1 || swift_proxy_start
}
trap restore_swift EXIT

make_random_file "$SRC/data.bin" $((120 * 1024 * 1024))
step "backup in the background, frozen once parts are in flight"
env -i PATH=/usr/bin:/bin HOME="$T" TZ=UTC VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" \
  VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" BACKUP_SOURCES="$SRC" BACKUP_ARCHIVE="$T/none" \
  "${S3_ENV[@]}" BACKUP_COMPRESSION=none AWS_PART_SIZE=5 AWS_UPLOAD_CONCURRENCY=2 LOG_LEVEL=debug \
  AWS_RETRY_ATTEMPTS=3 AWS_RETRY_MAX_TIME=2s \
  "$VOLBACK_BIN" backup >"$VOLBACK_LOG" 2>&1 </dev/null &
VB_PID=$!
for _ in $(seq 2000); do
  grep -q 'msg="Uploading part".*part=3' "$VOLBACK_LOG" && break
  kill -0 "$VB_PID" 2>/dev/null || fail "volback ended before parts were in flight"
  sleep 0.01
done
kill -STOP "$VB_PID"
grep -q 'msg="Uploading part".*part=3' "$VOLBACK_LOG" || fail "never saw part 3 go up"
uploads=$(s3_uploads)
[[ -n $uploads ]] || fail "ListMultipartUploads shows no upload in progress"
upload_id=$(awk '{print $2}' <<<"$uploads")
echo "frozen volback with upload $uploads"

step "Swift's proxy dies; volback continues"
swift_proxy_kill
start=$(date +%s)
kill -CONT "$VB_PID"
rc=0
wait "$VB_PID" || rc=$?
VB_PID=
echo "volback exited $rc after $(($(date +%s) - start))s"
cat "$VOLBACK_LOG" | grep -v 'level=DEBUG' | tail -n 20
((rc != 0)) || fail "volback succeeded without its server"
grep -q 'level=ERROR' "$VOLBACK_LOG" || fail "no error logged"
grep -q 'Could not abort the unfinished multipart upload' "$VOLBACK_LOG" || fail "the failed abort is not logged"
grep -qF "$upload_id" "$VOLBACK_STATE_DIR/s3-stale-uploads" || fail "the upload ID is not recorded"

step "Swift is back: no object, the upload is still there"
swift_proxy_start
[[ -z $(s3_keys) ]] || fail "an object appeared: $(s3_keys)"
[[ -n $(s3_uploads) ]] || fail "the unfinished upload vanished by itself"

step "the next run succeeds and aborts the recorded upload"
rm -f "$SRC/data.bin"
printf 'small\n' >"$SRC/small.txt"
run_volback "${S3_ENV[@]}" BACKUP_ARCHIVE="$T/none"
assert_success
assert_log_line INFO 'Aborted a stale multipart upload'
assert_contains "$upload_id"
[[ -z $(s3_uploads) ]] || fail "ListMultipartUploads is not empty: $(s3_uploads)"
assert_no_file "$VOLBACK_STATE_DIR/s3-stale-uploads"
[[ $(s3_keys | wc -l) == 1 ]] || fail "expected the one new backup, found: $(s3_keys)"
echo "PASS"
