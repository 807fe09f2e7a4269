#!/usr/bin/env bash
# Scenario 8: volback is SIGKILLed while the labelled containers are stopped. Read-only commands
# leave them stopped; the next backup first restarts them (from the crash journal), then makes
# a new archive. A container started and stopped by hand in between is left alone.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

# "a-fast" stops at once; "b-slow" ignores SIGTERM, so volback sits in its stop request for
# 10 s: the die of a-fast is a deterministic point at which to freeze volback.
run_container a-fast --label "docker-volume-backup.stop-during-backup=$LABEL"
run_slow_container b-slow --stop-timeout 3 --label "docker-volume-backup.stop-during-backup=$LABEL"
run_container c-hand --label "docker-volume-backup.stop-during-backup=$LABEL"
echo data >"$SRC/a-fast/file.txt"

t0=$(now_ns)
start_volback_bg BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
wait_for_event "$t0" die a-fast
freeze
kill_frozen
assert_file "$VOLBACK_STATE_DIR/docker-stopped.json"
assert_stopped a-fast
assert_empty_dir "$ARCHIVE"
# b-slow's stop was requested (it is in the journal); whether dockerd finishes it once its
# client is gone depends on the engine, so finish it here: a stop keeps StartedAt. c-hand
# (last by name) was never stopped by volback.
dk stop -t 1 "$IT_ID-b-slow" >/dev/null
assert_stopped b-slow
assert_running c-hand

step "read-only commands never recover"
run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" -- print-config
assert_exit 0
run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" -- healthcheck
assert_stopped a-fast
assert_file "$VOLBACK_STATE_DIR/docker-stopped.json"

step "the variant: a-fast is started and stopped by hand, so the journal leaves it alone"
dk start "$IT_ID-a-fast" >/dev/null
dk stop "$IT_ID-a-fast" >/dev/null
assert_stopped a-fast

step "the next backup restarts what is still stopped since the crash, then backs up"
dk stop "$IT_ID-c-hand" >/dev/null  # not in the journal: never stopped by volback
t1=$(now_ns)
run_docker_backup
assert_success
assert_log_line WARN "Restarted container $IT_ID-b-slow, left stopped by an interrupted run"
assert_log_line WARN "$IT_ID-a-fast was started and stopped again"
assert_running b-slow
assert_stopped a-fast
assert_stopped c-hand
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
# Recovery came before this run's own stop of b-slow.
events=$(events_since "$t1")
assert_eq "$(printf 'start b-slow\ndie b-slow\nstart b-slow')" "$events" "docker events of the second run"
single_archive "$ARCHIVE" >/dev/null
