#!/usr/bin/env bash
# A restore with ranged reads in flight (read-ahead) while Swift's proxy is killed for a
# moment and started again: the ranges that failed are retried on their own, the restore
# succeeds, and the restored files equal the source.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=restore_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restore_lib.sh"

back_up_big_to_s3

step "restore from S3; the proxy is killed once streaming and back 2 s later"
restore_and_kill_swift 10 60s
sleep 2
swift_proxy_start
rc=0
wait "$VB_PID" || rc=$?
VB_PID=
cat "$VOLBACK_LOG"
((rc == 0)) || fail "the restore exited $rc after the server came back (expected 0)"
grep -q 'Retrying S3 request' "$VOLBACK_LOG" || fail "no retry was logged: the proxy's death went unnoticed"

step "the restored files equal the source"
compare_trees "$SRC/app" "$T/target/app"
assert_no_leftovers "$T/target"
echo "PASS"
