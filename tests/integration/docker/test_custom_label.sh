#!/usr/bin/env bash
# Scenario 3: with BACKUP_STOP_DURING_BACKUP_LABEL=<value>, only containers labelled with that
# value stop; the deprecated BACKUP_STOP_CONTAINER_LABEL works as an alias (without offen's
# bug that refuses it); conflicting labels stop nothing.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container mine --label "docker-volume-backup.stop-during-backup=$LABEL"
run_container default --label "docker-volume-backup.stop-during-backup=true"
run_container theirs --label "docker-volume-backup.stop-during-backup=$LABEL-not"

t0=$(now_ns)
run_docker_backup
assert_success
assert_eq "$(printf 'die mine\nstart mine')" "$(events_since "$t0")" "docker events"

step "the deprecated alias"
t0=$(now_ns)
run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_CONTAINER_LABEL="$LABEL-not"
assert_success
assert_log_line WARN "BACKUP_STOP_CONTAINER_LABEL is deprecated"
assert_eq "$(printf 'die theirs\nstart theirs')" "$(events_since "$t0")" "docker events"

step "both labels on one container: an error before anything stops"
run_container both --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label "docker-volume-backup.stop-during-backup-no-restart=$LABEL"
t0=$(now_ns)
run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" \
  BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL="$LABEL" -- check-config
[[ $VOLBACK_RC != 0 ]] || fail "check-config passed with conflicting labels"
grep -q "check docker .*labelled both" "$VOLBACK_OUT" "$VOLBACK_LOG" || fail "check-config did not name the conflict"
run_docker_backup BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL="$LABEL"
assert_exit 1
assert_contains "labelled both"
assert_eq "" "$(events_since "$t0")" "docker events"
for c in mine default theirs both; do assert_running "$c"; done
