#!/usr/bin/env bash
# A drill check that never succeeds fails the drill at VOLBACK_DRILL_TIMEOUT, naming the
# container and the check's last output, and cleans up: no twin, no scratch directory, the live
# container untouched. An invalid drill-expect is refused before anything is restored (exit 2).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label "docker-volume-backup.drill-check=echo not ready; false"
echo data >"$SRC/app/value"
run_docker_backup
assert_success

step "a check that never passes"
started=$(dk inspect -f '{{.State.StartedAt}}' "$IT_ID-app")
SECONDS=0
run_volback DOCKER_HOST="$DOCKER_HOST" VOLBACK_DRILL_DIR="$T/drill" VOLBACK_DRILL_TIMEOUT=3s -- drill
elapsed=$SECONDS
cat "$VOLBACK_OUT"
assert_exit 1
assert_contains "FAILED: the check of container $IT_ID-app failed: the check did not pass within 3 s: the check exited with 1" "$VOLBACK_OUT"
assert_log_line ERROR "Application check failed"
assert_contains 'output="not ready"' "$VOLBACK_LOG"
((elapsed < 30)) || fail "the drill took ${elapsed}s with a 3s timeout"
assert_eq "" "$(dk ps -aq --filter label=volback.drill-twin-of)" "drill twins left"
assert_empty_dir "$T/drill"
assert_eq "$started" "$(dk inspect -f '{{.State.StartedAt}}' "$IT_ID-app")" "the live container's StartedAt"

step "an invalid drill-expect: exit 2 before anything is restored"
run_container bad --label "docker-volume-backup.drill-check=true" --label "docker-volume-backup.drill-expect=(["
run_volback DOCKER_HOST="$DOCKER_HOST" VOLBACK_DRILL_DIR="$T/drill2" -- drill
assert_exit 2
assert_contains "docker-volume-backup.drill-expect is not a regular expression" "$VOLBACK_LOG"
[[ ! -e $T/drill2 ]] || assert_empty_dir "$T/drill2"
echo PASS
