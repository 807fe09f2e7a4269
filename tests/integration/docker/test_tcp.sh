#!/usr/bin/env bash
# Scenario 7: DOCKER_HOST=tcp://127.0.0.1:PORT (the suite's dockerd listens there too) behaves
# as the unix socket does.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
run_container other
echo tcp >"$SRC/app/file.txt"
t0=$(now_ns)
run_volback DOCKER_HOST="tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TCP_PORT" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
assert_success
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
assert_running other
list_archive "$(single_archive "$ARCHIVE")" >"$T/members" && grep -q 'app/file.txt$' "$T/members" || fail "app/file.txt not in the archive"
