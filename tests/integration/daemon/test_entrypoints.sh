#!/usr/bin/env bash
# The daemon is what offen's image entrypoint `backup -foreground` runs, and what `volback`
# runs without a command: both schedule, back up, and exit 0 on SIGTERM.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon_lib.sh"

printf 'data\n' >"$SRC/file.txt"
mkdir -p "$T/bin"
ln -sf "$VOLBACK_BIN" "$T/bin/backup"

step "backup -foreground"
DAEMON_EXE=$T/bin/backup start_daemon 'BACKUP_CRON_EXPRESSION=@every 1s' 'BACKUP_FILENAME=offen-%H%M%S.tar.gz' \
  -- -foreground
one_archive() { (($(count_files "$ARCHIVE" offen-) >= 1)); }
wait_until 60 "an archive from backup -foreground" one_archive
stop_daemon 10
assert_contains 'msg="Successfully scheduled backup from environment with expression @every 1s"' "$DAEMON_LOG"

step "volback without a command"
start_daemon 'BACKUP_CRON_EXPRESSION=@every 1s' 'BACKUP_FILENAME=bare-%H%M%S.tar.gz' --
bare_archive() { (($(count_files "$ARCHIVE" bare-) >= 1)); }
wait_until 60 "an archive from volback without a command" bare_archive
stop_daemon 10
echo ok
