#!/usr/bin/env bash
# `volback healthcheck` from the state directory: 0 on a fresh daemon with a future schedule,
# 1 after a failed run, 0 after a successful one, 1 when a schedule is overdue (a 6-field
# schedule whose runs cannot get the lock, with VOLBACK_HEALTH_GRACE=1s). It never takes the
# lock itself.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon_lib.sh"
require_tool flock util-linux

printf 'data\n' >"$SRC/file.txt"
nodir=(VOLBACK_CONFD_DIR="$T/no-confd")

step "no daemon state yet: unhealthy"
run_volback "${nodir[@]}" -- healthcheck
assert_exit 1
assert_contains "no daemon has recorded its state" "$VOLBACK_OUT"

step "fresh daemon with a schedule far in the future: healthy"
start_daemon 'BACKUP_CRON_EXPRESSION=0 0 1 1 *'
wait_until 60 "daemon.json" test -s "$VOLBACK_STATE_DIR/daemon.json"
run_volback "${nodir[@]}" -- healthcheck
assert_exit 0
assert_contains "healthy" "$VOLBACK_OUT"
assert_contains "no run yet" "$VOLBACK_OUT"

step "a failed run (lock timeout): unhealthy, and healthcheck itself ignores the lock"
exec {lock_fd}>>"$VOLBACK_LOCK_FILE"
flock -x -n "$lock_fd" || fail "cannot take the lock for the test"
run_volback LOCK_TIMEOUT=1s BACKUP_FILENAME=failed.tar.gz
assert_exit 1
run_volback "${nodir[@]}" -- healthcheck
assert_exit 1
assert_contains "failed with exit code 1" "$VOLBACK_OUT"
exec {lock_fd}>&-

step "a successful run: healthy again"
run_volback BACKUP_FILENAME=good.tar.gz
assert_success
run_volback "${nodir[@]}" -- healthcheck
assert_exit 0
assert_contains "succeeded" "$VOLBACK_OUT"
stop_daemon 10

step "overdue: runs every 2 s cannot get the lock; after the grace the check fails"
exec {lock_fd}>>"$VOLBACK_LOCK_FILE"
flock -x -n "$lock_fd" || fail "cannot take the lock for the test"
start_daemon 'BACKUP_CRON_EXPRESSION=*/2 * * * * *' BACKUP_FILENAME=never-done.tar.gz
wait_until 60 "the new daemon's state" grep -q '\*/2 \* \* \* \* \*' "$VOLBACK_STATE_DIR/daemon.json"
overdue() {
  run_volback "${nodir[@]}" VOLBACK_HEALTH_GRACE=1s -- healthcheck >/dev/null
  [[ $VOLBACK_RC == 1 ]] && grep -qF overdue "$VOLBACK_OUT"
}
wait_until 60 "healthcheck to report the schedule overdue" overdue
step "SIGTERM while a run waits for the lock: exit 0 within 10 s"
stop_daemon 10
exec {lock_fd}>&-
assert_no_file "$ARCHIVE/never-done.tar.gz"
echo ok
