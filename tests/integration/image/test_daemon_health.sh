#!/usr/bin/env bash
# Scenario 3: the image's entrypoint (the daemon) fires on a 6-field cron every 3 seconds, and
# the image's HEALTHCHECK (run every second here, its 1-minute start period cut to 1 ms) turns
# the container healthy once a run has succeeded. Beside it, the same image with a wrong S3
# secret turns unhealthy after its first (failed) run.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
data=$(volume data)
echo hello >"$(volume_path "$data")/file.txt"
health=(--health-interval 1s --health-start-period 1ms --health-retries 1)
run_volback_container good "${health[@]}" -v "$data:/backup/data:ro" \
  -e BACKUP_CRON_EXPRESSION="*/3 * * * * *"
run_volback_container bad "${health[@]}" -v "$data:/backup/data:ro" \
  -e BACKUP_CRON_EXPRESSION="*/3 * * * * *" -e AWS_SECRET_ACCESS_KEY=wrong -e AWS_S3_PATH=bad

# health_of NAME — the container's health status (starting, healthy, unhealthy).
health_of() { dk inspect -f '{{.State.Health.Status}}' "$IT_ID-$1"; }

wait_for_container_log good 'Successfully scheduled backup'
container_log good | grep -F -- 'with expression */3 * * * * *' >/dev/null ||
  fail "the 6-field schedule is not logged"
wait_for_container_log good 'msg="Finished running backup tasks."' 30
# The run's record is in the state volume; then the healthcheck (every second) says healthy.
state=$(volume_path "$IT_ID-good-state")
grep -rqs '"exit_code": *0' "$state/runs" || grep -rqs 'exit_code' "$state/runs" ||
  fail "no run record in the state volume: $(find "$state" | head)"
for _ in $(seq 100); do [[ $(health_of good) == healthy ]] && break; sleep 0.1; done
assert_eq healthy "$(health_of good)" "health of the daemon after a good run"
[[ -n $(s3_keys) ]] || fail "no object in S3 after the daemon's run"
dk inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$IT_ID-good" | tail -n 3

wait_for_container_log bad 'Unexpected error running schedule' 30
for _ in $(seq 100); do [[ $(health_of bad) == unhealthy ]] && break; sleep 0.1; done
assert_eq unhealthy "$(health_of bad)" "health of the daemon after a failed run"
dk inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$IT_ID-bad" | tail -n 3
[[ -z $(s3_keys bad/) ]] || fail "the failing daemon stored something"

# Still firing: a second good run follows within a few seconds.
n=$(container_log good | grep -c 'msg="Finished running backup tasks."')
for _ in $(seq 100); do
  (($(container_log good | grep -c 'msg="Finished running backup tasks."') > n)) && break
  sleep 0.1
done
(($(container_log good | grep -c 'msg="Finished running backup tasks."') > n)) || fail "no second scheduled run"
echo PASS
