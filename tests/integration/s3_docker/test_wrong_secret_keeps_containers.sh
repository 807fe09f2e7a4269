#!/usr/bin/env bash
# Issue test 3 with a labelled container: a wrong secret key fails the run at the S3
# preflight, within seconds, naming SignatureDoesNotMatch, and the container is never
# stopped (no die event at all). Nothing is written.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
printf 'data\n' >"$SRC/app/file.txt"
t0=$(now_ns)
start=$(date +%s)
run_docker_backup "${S3_ENV[@]}" AWS_SECRET_ACCESS_KEY=Not-The-Key-42
assert_exit 1
(($(date +%s) - start <= 10)) || fail "the refused key took too long to fail"
assert_log_line ERROR SignatureDoesNotMatch
assert_eq "" "$(events_since "$t0")" "docker events"
assert_running app
assert_empty_dir "$ARCHIVE"
[[ -z $(s3_keys) ]] || fail "objects were written"
echo "PASS"
