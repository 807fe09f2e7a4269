#!/usr/bin/env bash
# Scenario 5, the usual case: `docker stop` (10 s grace) of volback's container while its
# daemon's run has containers stopped. volback is frozen right after the die of db; docker
# stop's SIGTERM arrives while it is frozen, then it goes on: it cancels the run, restarts what
# it stopped, removes its crash journal and exits 0 within the grace period.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/stop_lib.sh"

start_and_freeze
start=$SECONDS
dk stop -t 10 "$VB" >/dev/null &
stop_pid=$!
wait_for_pending_term "$FROZEN_PID"
kill -CONT "$FROZEN_PID"
wait "$stop_pid" || fail "docker stop failed"
echo "docker stop returned after $((SECONDS - start)) s"
FROZEN_PID=
container_log volback | tail -n 20
assert_eq 0 "$(dk inspect -f '{{.State.ExitCode}}' "$VB")" "volback's exit code after docker stop"
assert_running db
assert_running zz-slow
assert_no_file "$STATE_DIR_HOST/docker-stopped.json"
[[ -z $(s3_keys) ]] || fail "the cancelled run stored an object: $(s3_keys)"
echo PASS
