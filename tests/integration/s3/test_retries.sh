#!/usr/bin/env bash
# Test 5: transient failures are retried. A scripted proxy between volback and Swift resets
# the 3rd connection when it is accepted and cuts the 5th after 1 MiB of its request. The
# backup succeeds, the object is whole, and the log shows exactly those two retries.
# Connections: 1 the backend's (preflight, stale-upload listing), 2 the upload's control
# (CreateMultipartUpload ... Complete), 3 and 4 the two part workers, then their retries.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool cmp diffutils

port=$(free_port)
start_proxy "$port" --reset 3 --cut 5 $((1024 * 1024))
trap stop_proxy EXIT
make_random_file "$SRC/data.bin" $((30 * 1024 * 1024))

run_volback "${S3_ENV[@]}" AWS_ENDPOINT="http://127.0.0.1:$port" BACKUP_ARCHIVE="$T/none" \
  BACKUP_COMPRESSION=none AWS_PART_SIZE=5 AWS_UPLOAD_CONCURRENCY=2 AWS_RETRY_ATTEMPTS=4
cat "$PROXY_LOG"
assert_success
grep -q 'connection 3: reset at accept' "$PROXY_LOG" || fail "the proxy did not reset connection 3"
grep -q 'connection 5: cut after' "$PROXY_LOG" || fail "the proxy did not cut connection 5"
retries=$(grep -c 'msg="Retrying S3 request"' "$VOLBACK_LOG" || true)
grep 'msg="Retrying S3 request"' "$VOLBACK_LOG" || true
assert_eq 2 "$retries" "number of retries logged"
[[ $(grep 'msg="Retrying S3 request"' "$VOLBACK_LOG" | grep -c 'operation="UploadPart') == 2 ]] ||
  fail "the retries should be of UploadPart requests"

key=$(s3_keys)
aws s3 cp "s3://$BUCKET/$key" "$T/downloaded.tar" >/dev/null
mkdir -p "$T/x"
tar -xf "$T/downloaded.tar" -C "$T/x" --warning=no-unknown-keyword
cmp "$SRC/data.bin" "$(extracted_source "$T/x")/data.bin" || fail "the object is not whole"
[[ -z $(s3_uploads) ]] || fail "incomplete multipart uploads left"
echo "PASS"
