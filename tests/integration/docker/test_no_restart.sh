#!/usr/bin/env bash
# Scenario 2: a container labelled stop-during-backup-no-restart stays stopped; the archive is
# complete.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container job --label "docker-volume-backup.stop-during-backup-no-restart=$LABEL"
echo data >"$SRC/job/file.txt"
t0=$(now_ns)
run_docker_backup BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL="$LABEL"
assert_success
assert_eq "die job" "$(events_since "$t0")" "docker events"
assert_stopped job
list_archive "$(single_archive "$ARCHIVE")" >"$T/members" && grep -q 'job/file.txt$' "$T/members" || fail "job/file.txt not in the archive"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
