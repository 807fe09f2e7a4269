#!/usr/bin/env bash
# Test 3: a wrong secret key ends the run within seconds at the preflight, naming
# SignatureDoesNotMatch, before the lock, the quiesce phase or any write: nothing appears in
# the bucket or the local directory. A missing bucket ends it the same way (NoSuchBucket).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

printf 'data\n' >"$SRC/file.txt"
start=$(date +%s)
run_volback "${S3_ENV[@]}" AWS_SECRET_ACCESS_KEY=Not-The-Key-42
elapsed=$(($(date +%s) - start))
assert_exit 1
((elapsed <= 10)) || fail "the refused key took ${elapsed}s to fail"
assert_log_line ERROR SignatureDoesNotMatch
assert_not_contains 'testing'          # the real secret never appears
assert_not_contains Not-The-Key-42    # nor the wrong one
# Nothing of the run happened: no lock taken, no container phase, no archive.
assert_not_contains 'Created backup'
assert_no_file "$VOLBACK_LOCK_FILE"
assert_empty_dir "$ARCHIVE"
[[ -z $(s3_keys) ]] || fail "objects were written: $(s3_keys)"
[[ -z $(s3_uploads) ]] || fail "multipart uploads were started"

run_volback "${S3_ENV[@]}" AWS_S3_BUCKET_NAME=no-such-bucket-$RANDOM
assert_exit 1
assert_log_line ERROR NoSuchBucket
assert_empty_dir "$ARCHIVE"

# Write-only keys: an AccessDenied listing is only a warning when pruning is off. Swift's
# tempauth has no such keys, so this is covered by the unit tests; with pruning on, a refused
# listing is an error, as the wrong key shows here too.
run_volback "${S3_ENV[@]}" AWS_SECRET_ACCESS_KEY=Not-The-Key-42 BACKUP_RETENTION_DAYS=7
assert_exit 1
assert_log_line ERROR SignatureDoesNotMatch
echo "PASS"
