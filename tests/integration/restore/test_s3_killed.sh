#!/usr/bin/env bash
# Scenario 4, second half: the S3 server dies in the middle of a restore streamed from it. The
# restore fails, the target keeps its old content exactly, and no staging directory is left.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=restore_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restore_lib.sh"

back_up_big_to_s3

step "the target holds other content"
mkdir -p "$T/target/app"
printf 'old\n' >"$T/target/app/old.txt"
before=$(tree_digest "$T/target")

step "restore from S3, frozen once streaming, then the server dies"
restore_and_kill_swift 2 2s --overwrite
rc=0
wait "$VB_PID" || rc=$?
VB_PID=
cat "$VOLBACK_LOG"
((rc == 1)) || fail "the restore exited $rc without its server (expected 1)"
grep -q 'level=ERROR msg="Restore failed"' "$VOLBACK_LOG" || fail "no error logged"
swift_proxy_start

step "the target is exactly as before"
assert_eq "$before" "$(tree_digest "$T/target")" "target content and metadata"
assert_no_leftovers "$T/target"
echo "PASS"
