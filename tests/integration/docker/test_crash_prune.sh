#!/usr/bin/env bash
# A container that a SIGKILLed backup left stopped is brought back by the next command that
# takes the run lock even when it is not a backup: `volback prune` (its locked-run entry
# repairs what killed runs left before pruning).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

# "a-fast" stops at once; "b-slow" ignores SIGTERM, so volback sits in its stop request: the
# die of a-fast is a deterministic point at which to freeze and kill volback.
run_container a-fast --label "docker-volume-backup.stop-during-backup=$LABEL"
run_slow_container b-slow --stop-timeout 3 --label "docker-volume-backup.stop-during-backup=$LABEL"
echo data >"$SRC/a-fast/file.txt"

t0=$(now_ns)
start_volback_bg BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
wait_for_event "$t0" die a-fast
freeze
kill_frozen
assert_file "$VOLBACK_STATE_DIR/docker-stopped.json"
assert_stopped a-fast

step "volback prune restarts it, then prunes"
run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" BACKUP_RETENTION_DAYS=7 -- prune
assert_exit 0
assert_log_line WARN "Restarted container $IT_ID-a-fast, left stopped by an interrupted run"
assert_contains 'msg="Pruning old backups"'
assert_running a-fast
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
