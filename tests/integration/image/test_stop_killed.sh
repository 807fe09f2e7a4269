#!/usr/bin/env bash
# Scenario 5, the worst case: volback's daemon stays frozen while `docker stop` (10 s grace)
# waits, so Docker kills it with db and zz-slow stopped. The crash journal in the state volume
# names them; the next start of the same container (same state volume) restarts both at its
# first run, with a warning each. A last, graceful docker stop leaves everything running.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/stop_lib.sh"

start_and_freeze
start=$SECONDS
dk stop -t 10 "$VB" >/dev/null || fail "docker stop failed"
echo "docker stop returned after $((SECONDS - start)) s"
FROZEN_PID=
assert_eq 137 "$(dk inspect -f '{{.State.ExitCode}}' "$VB")" "exit code of the killed container"
# Killed in the middle: nothing restarted them.
for _ in $(seq 50); do [[ $(is_running zz-slow) == false ]] && break; sleep 0.1; done
assert_stopped db
assert_stopped zz-slow
assert_file "$STATE_DIR_HOST/docker-stopped.json"
cat "$STATE_DIR_HOST/docker-stopped.json"

t1=$(now_ns)
dk start "$VB" >/dev/null
FROZEN_PID=$(dk inspect -f '{{.State.Pid}}' "$VB")
wait_for_event "$t1" start db
wait_for_event "$t1" start zz-slow
wait_for_container_log volback "Restarted container $IT_ID-db, left stopped by an interrupted run" 30
wait_for_container_log volback "Restarted container $IT_ID-zz-slow, left stopped by an interrupted run" 30
# shellcheck disable=SC2034  # read by docker_cleanup
FROZEN_PID=
dk stop -t 10 "$VB" >/dev/null
assert_eq 0 "$(dk inspect -f '{{.State.ExitCode}}' "$VB")" "volback's exit code after the graceful stop"
assert_running db
assert_running zz-slow
assert_no_file "$STATE_DIR_HOST/docker-stopped.json"
echo PASS
