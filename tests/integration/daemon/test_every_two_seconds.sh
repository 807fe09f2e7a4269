#!/usr/bin/env bash
# The daemon on a 6-field schedule with a timestamped BACKUP_FILENAME: three archives appear,
# each run is recorded, and SIGTERM makes it exit with code 0 within 10 s.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon_lib.sh"

printf 'data\n' >"$SRC/file.txt"

step "daemon with */2 * * * * *"
start_daemon 'BACKUP_CRON_EXPRESSION=*/2 * * * * *' 'BACKUP_FILENAME=backup-%Y%m%dT%H%M%S.tar.gz'
three_archives() { (($(count_files "$ARCHIVE" backup-) >= 3)); }
wait_until 60 "3 archives in $ARCHIVE" three_archives
assert_contains 'msg="Successfully scheduled backup from environment with expression */2 * * * * *"' "$DAEMON_LOG"
assert_contains 'msg="Backup completed successfully"' "$DAEMON_LOG"

step "SIGTERM: exit 0 within 10 s"
stop_daemon 10
assert_not_contains 'level=ERROR' "$DAEMON_LOG"
for f in "$ARCHIVE"/backup-*; do
  [[ $f =~ backup-[0-9]{8}T[0-9]{6}\.tar\.gz$ ]] || fail "unexpected archive name $f"
  gzip -t "$f" || fail "$f is not a valid gzip file"
done
runs=$(find "$VOLBACK_STATE_DIR/runs/environment" -name '*.json' | wc -l)
((runs >= 3)) || fail "expected at least 3 run records, found $runs"
assert_file "$VOLBACK_STATE_DIR/daemon.json"
echo ok
