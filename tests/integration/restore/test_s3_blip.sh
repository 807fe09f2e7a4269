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
env -i PATH=/usr/bin:/bin HOME="$T" TZ=UTC VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" \
  VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" BACKUP_SOURCES=/nonexistent BACKUP_ARCHIVE=/nonexistent \
  "${S3_ENV[@]}" AWS_RETRY_ATTEMPTS=10 AWS_RETRY_MAX_TIME=60s \
  "$VOLBACK_BIN" restore latest --to "$T/target" >"$VOLBACK_OUT" 2>"$VOLBACK_LOG" </dev/null &
VB_PID=$!
for _ in $(seq 3000); do
  compgen -G "$T/target/app/.volback-restore-*/big.bin" >/dev/null && break
  kill -0 "$VB_PID" 2>/dev/null || fail "the restore ended before it was streaming"
  sleep 0.005
done
kill -STOP "$VB_PID"
swift_proxy_kill
kill -CONT "$VB_PID"
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
