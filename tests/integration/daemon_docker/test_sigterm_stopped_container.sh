#!/usr/bin/env bash
# SIGTERM while the daemon's run has a labelled container stopped: the archive is held open
# deterministically (an LD_PRELOAD shim stalls the open of the container's "stall.me" until
# released), the daemon gets SIGTERM, and then it must exit 0 within 10 s, with the container
# running again and no archive, partial or not, left behind.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
# shellcheck source=../daemon/daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../daemon/daemon_lib.sh"

build_stall_shim
run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
echo data >"$SRC/app/file.txt"
echo held >"$SRC/app/stall.me"
assert_running app

step "daemon firing every 2 s, its archive held at stall.me"
start_daemon 'BACKUP_CRON_EXPRESSION=*/2 * * * * *' DOCKER_HOST="$DOCKER_HOST" \
  BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" LD_PRELOAD="$STALL_SHIM" STALL_DIR="$STALL_DIR"
trap 'touch "$STALL_DIR/release"' RETURN
wait_until 60 "the run to reach stall.me" test -e "$STALL_DIR/stalled"
assert_stopped app

step "SIGTERM in the middle of the archive"
kill -TERM "$DAEMON_PID"
touch "$STALL_DIR/release"
wait_until 10 "the daemon to exit after SIGTERM" daemon_gone
DAEMON_RC=0
wait "$DAEMON_PID" || DAEMON_RC=$?
[[ $DAEMON_RC == 0 ]] || { tail -n 30 "$DAEMON_LOG" >&2; fail "daemon exited $DAEMON_RC after SIGTERM, expected 0"; }
assert_running app
left=$(find "$ARCHIVE" -mindepth 1 -printf '%f ' || true)
[[ -z $left ]] || fail "the cancelled run left files in the archive directory: $left"
assert_not_contains 'msg="Backup completed successfully"' "$DAEMON_LOG"
echo ok
