#!/usr/bin/env bash
# Scenario 4: compose's depends_on label makes "storage" depend on "db": storage dies first
# and starts last.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

# By name "a-db" would come first; the dependency must win.
run_container a-db --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label "com.docker.compose.project=$IT_ID" --label com.docker.compose.service=db
run_container b-storage --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label "com.docker.compose.project=$IT_ID" --label com.docker.compose.service=storage \
  --label com.docker.compose.depends_on=db:service_started:false
t0=$(now_ns)
run_docker_backup
assert_success
assert_eq "$(printf 'die b-storage\ndie a-db\nstart a-db\nstart b-storage')" "$(events_since "$t0")" "docker events"
assert_log_line INFO "Stop order"
assert_contains "containers=\"$IT_ID-b-storage, $IT_ID-a-db\""
assert_contains "msg=\"Restart order\" containers=\"$IT_ID-a-db, $IT_ID-b-storage\""
