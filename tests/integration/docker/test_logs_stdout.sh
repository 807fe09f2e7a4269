#!/usr/bin/env bash
# Logs on stdout, as offen logs: what `docker logs <c> 2>/dev/null` shows holds a run's lines.
# A backup's stdout alone (stderr to /dev/null) has every line of the run, volback's summary
# and offen's lines word for word; so has the daemon's, and offen's `backup` entry point's.
# The commands whose stdout is their result (list, print-config) keep it free of log lines.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
printf 'data\n' >"$SRC/app/file.txt"

# stdout_has NEEDLE — the last run's stdout ($VOLBACK_LOG while VOLBACK_STDERR=/dev/null)
# holds NEEDLE.
stdout_has() { grep -qF -- "$1" "$VOLBACK_LOG" || fail "'$1' is not on stdout"; }

step "volback backup: stdout alone holds the run's lines"
VOLBACK_STDERR=/dev/null
run_docker_backup BACKUP_FILENAME=one.tar.gz
assert_success
stdout_has "msg=\"Stopping 1 out of "
stdout_has " running container(s) as they were labeled docker-volume-backup.stop-during-backup=$LABEL or docker-volume-backup.stop-during-backup-no-restart=true.\""
stdout_has "msg=\"Created backup of \`$SRC\` at \`$ARCHIVE/one.tar.gz\`.\""
stdout_has "msg=\"Stored copy of backup \`one.tar.gz\` in \`$ARCHIVE\`.\" storage=Local"
stdout_has 'msg="Restarted 1 out of 1 stopped container(s)."'
# Every line is a log record: nothing else is printed.
assert_eq "$(wc -l <"$VOLBACK_LOG")" "$(grep -c '^time=.* level=' "$VOLBACK_LOG")" "log records among stdout's lines"

step "offen's entry point: backup (the symlink) logs on stdout too"
mkdir -p "$T/bin"
ln -sf "$VOLBACK_BIN" "$T/bin/backup"
VOLBACK_EXE=$T/bin/backup run_volback BACKUP_FILENAME=two.tar.gz --
assert_success
stdout_has "msg=\"Stored copy of backup \`two.tar.gz\` in \`$ARCHIVE\`.\" storage=Local"

step "the daemon logs on stdout"
start_volback_bg 'BACKUP_CRON_EXPRESSION=@every 1s' BACKUP_FILENAME=three-%H%M%S.tar.gz \
  VOLBACK_CONFD_DIR="$T/no-confd" -- daemon
wait_for_log 'msg="Finished running backup tasks."'
term_frozen
assert_exit 0
stdout_has 'msg="Successfully scheduled backup from environment with expression @every 1s"'
stdout_has 'msg="Now running script on schedule @every 1s"'
stdout_has 'msg="Backup completed successfully"'
VOLBACK_STDERR=

step "list and print-config: stdout is the result, the log is on stderr"
run_volback LOG_LEVEL=debug -- list
assert_exit 0
grep -qF one.tar.gz "$VOLBACK_OUT" || fail "list does not show one.tar.gz: $(cat "$VOLBACK_OUT")"
assert_not_contains 'level=' "$VOLBACK_OUT"
run_volback LOG_LEVEL=debug -- print-config
assert_exit 0
assert_contains "BACKUP_ARCHIVE=$ARCHIVE" "$VOLBACK_OUT"
assert_not_contains 'level=' "$VOLBACK_OUT"
VOLBACK_EXE=$T/bin/backup run_volback -- print-config
assert_exit 0
assert_contains "BACKUP_ARCHIVE=$ARCHIVE" "$VOLBACK_OUT"
assert_not_contains 'level=' "$VOLBACK_OUT"
echo PASS
