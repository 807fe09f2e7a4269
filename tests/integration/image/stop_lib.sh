# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are used by the files that source this one
# Scenario 5's common part, sourced by test_stop_*.sh after image_lib.sh: a labelled "db"
# (exits on SIGTERM) and a labelled "zz-slow" (ignores SIGTERM; its stop takes 3 s) beside
# volback's image, whose daemon fires every 2 seconds. The stop order is by name, db first, so
# when db has died volback is inside zz-slow's stop for about 3 s: that is where it is frozen
# (SIGSTOP of the container's init, volback's daemon), deterministically.

ensure_image
db_vol=$(volume db-data)
run_db db "$db_vol" --label "docker-volume-backup.stop-during-backup=$LABEL"
run_slow_container zz-slow --stop-timeout 3 --label "docker-volume-backup.stop-during-backup=$LABEL"
echo slow >"$SRC/zz-slow/file.txt"
VB=$IT_ID-volback
STATE_DIR_HOST=$(volume_path "$(volume volback-state)")

# start_and_freeze — (re)starts volback's container and freezes its daemon right after the
# die of db in its first run. T0 is when it started.
start_and_freeze() {
  T0=$(now_ns)
  if dk inspect "$VB" >/dev/null 2>&1; then
    dk start "$VB" >/dev/null
  else
    run_volback_container volback "${VB_SOCKET[@]}" -v "$db_vol:/backup/db-data:ro" \
      -v "$SRC/zz-slow:/backup/slow:ro" -e BACKUP_CRON_EXPRESSION="*/2 * * * * *"
  fi
  FROZEN_PID=$(dk inspect -f '{{.State.Pid}}' "$VB")
  wait_for_event "$T0" die db
  freeze
  echo "volback frozen after the die of db"
}

# wait_for_pending_term PID — until SIGTERM is pending for the (stopped) process.
wait_for_pending_term() {
  local pending _
  for _ in $(seq 100); do
    pending=$(awk '/^ShdPnd:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0)
    (((16#$pending & 16#4000) != 0)) && return 0
    sleep 0.1
  done
  fail "SIGTERM never reached pid $1"
}
