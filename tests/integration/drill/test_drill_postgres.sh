#!/usr/bin/env bash
# A restore drill on PostgreSQL 15 under a pgbench write load, backed up to S3 (Swift) and a
# local directory; the drill reads each in turn (S3 with ranged GETs in flight). The database container is
# labelled for stopping and with a drill check that counts pgbench_accounts; the backup stops it
# around the archive, the drill then restores the backup into a scratch directory, starts a
# throwaway twin of the container on the restored data (no network, read-only mounts kept) and
# runs the check there until it prints the expected count. The live container is not stopped or
# restarted by the drill (docker events, StartedAt), and no twin or scratch directory remains.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/drill_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"

check="pg_isready -h /tmp -U postgres >/dev/null && psql -h /tmp -U postgres -tAc 'select count(*) from pgbench_accounts'"
start_pg db --label "docker-volume-backup.drill-check=$check" --label 'docker-volume-backup.drill-expect=^100000$'
pg db pgbench -h /tmp -U postgres -i -s 1 -q >/dev/null 2>&1 || fail "pgbench -i failed"
load() { pg db pgbench -h /tmp -U postgres -c 2 -T 30 -n >/dev/null 2>&1 || true; }
load &
load_pid=$!
sleep 2

step "backup under the write load (the container is stopped around the archive)"
run_docker_backup "${S3_ENV[@]}"
assert_success
wait "$load_pid"
assert_running db
load &
load_pid=$!
sleep 1

step "the drill, while the live database keeps taking writes"
started=$(dk inspect -f '{{.State.StartedAt}}' "$IT_ID-db")
t0=$(now_ns)
run_volback DOCKER_HOST="$DOCKER_HOST" VOLBACK_DRILL_DIR="$T/drill" VOLBACK_DRILL_TIMEOUT=60s "${S3_ENV[@]}" -- drill
cat "$VOLBACK_OUT"
assert_exit 0
assert_contains "on Local: passed (" "$VOLBACK_OUT"
assert_contains "on S3: passed (" "$VOLBACK_OUT"
assert_contains "check of $IT_ID-db: passed: 100000" "$VOLBACK_OUT"
assert_log_line INFO "Application check passed"
assert_eq "" "$(events_since "$t0")" "docker events of the live container during the drill"
assert_eq "$started" "$(dk inspect -f '{{.State.StartedAt}}' "$IT_ID-db")" "the live container's StartedAt"
assert_running db
assert_eq "" "$(dk ps -aq --filter label=volback.drill-twin-of)" "drill twins left"
assert_empty_dir "$T/drill"
kill "$load_pid" 2>/dev/null || true
wait "$load_pid" 2>/dev/null || true
grep -q '"drill-environment"' "$VOLBACK_STATE_DIR"/runs/drill-environment/*.json || fail "no drill record in the run history"
echo PASS
