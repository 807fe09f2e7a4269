#!/usr/bin/env bash
# A backup damaged in the bucket (S3, Swift) fails its drill, and the daemon's drill schedule reports
# it everywhere: the daemon (VOLBACK_DRILL_CRON, backups never due) drills the newest backup,
# which no longer restores; the log names the failure, a notification is sent at level error,
# the metrics show the failed drill, `volback healthcheck` turns unhealthy, and no twin or
# scratch directory remains.
# shellcheck source=../notify/notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../notify/notify_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label "docker-volume-backup.drill-check=cat /data/value"
echo 42 >"$SRC/app/value"
make_random_file "$SRC/app/bulk.bin" $((12 * 1024 * 1024))  # several 4 MiB ranges
run_docker_backup "${S3_ENV[@]}" BACKUP_ARCHIVE="$T/no-local"
assert_success
mapfile -t keys < <(s3_keys)
[[ ${#keys[@]} == 1 ]] || fail "expected one object in the bucket, got: ${keys[*]}"
archive=$T/object
aws s3 cp --quiet "s3://$BUCKET/${keys[0]}" "$archive"
size=$(stat -c %s "$archive")
printf 'damaged!' | dd of="$archive" bs=1 seek=$((size / 2)) conv=notrunc status=none
aws s3 cp --quiet "$archive" "s3://$BUCKET/${keys[0]}"

start_http
step "the daemon drills the damaged backup on VOLBACK_DRILL_CRON"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$T" TZ=UTC VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" \
  VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" BACKUP_SOURCES="$SRC" BACKUP_ARCHIVE="$T/no-local" "${S3_ENV[@]}" \
  DOCKER_HOST="$DOCKER_HOST" \
  BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" BACKUP_CRON_EXPRESSION=@yearly VOLBACK_DRILL_CRON='@every 1s' \
  VOLBACK_DRILL_DIR="$T/drill" VOLBACK_METRICS_FILE="$T/metrics.prom" NOTIFICATION_LEVEL=error \
  NOTIFICATION_URLS="generic+http://127.0.0.1:$HTTP_PORT/hook?template=json" \
  "$VOLBACK_BIN" daemon >"$T/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 150); do
  compgen -G "$VOLBACK_STATE_DIR/runs/drill-environment/*.json" >/dev/null && break
  sleep 0.1
done
kill -TERM "$daemon_pid"
wait "$daemon_pid" || true
cat "$T/daemon.log"
assert_contains "Successfully scheduled restore drill from environment with expression @every 1s" "$T/daemon.log"
assert_contains 'msg="Restore drill failed"' "$T/daemon.log"
assert_contains "the backup did not restore" "$T/daemon.log"
assert_contains "in entry ${SRC#/}/app/bulk.bin" "$T/daemon.log"
assert_not_contains "Application check passed" "$T/daemon.log"
assert_contains 'volback_last_drill_exit_code{schedule="environment"} 1' "$T/metrics.prom"
[[ $(count_files "$HTTP_DIR" 'req-*.json') -ge 1 ]] || fail "no notification of the failed drill"
body=$(req_field "$HTTP_DIR/req-001.json" 'r["body"]')
[[ $body == *"restore drill of ${keys[0]} on S3 failed"* ]] || fail "notification: $body"

run_volback -- healthcheck
cat "$VOLBACK_OUT"
assert_exit 1
assert_contains "restore drills of schedule from environment: the last drill" "$VOLBACK_OUT"
assert_eq "" "$(dk ps -aq --filter label=volback.drill-twin-of)" "drill twins left"
assert_empty_dir "$T/drill"
assert_running app
echo PASS
