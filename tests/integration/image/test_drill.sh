#!/usr/bin/env bash
# A restore drill in volback's image, as the reference deployment runs it: a labelled busybox
# "database" with a drill check writes its volume; volback's container has the volume under
# /backup, the socket and its state volume (where the image's VOLBACK_DRILL_DIR lies).
# `docker exec <volback> backup` uploads to S3, then `docker exec <volback> volback drill`
# restores the backup from S3 into the state volume, starts a twin of the database on the
# restored copy (through the volume's host path) and runs the check there. No twin and no
# scratch directory remain, and the database was not stopped by the drill.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
db_vol=$(volume db-data)
run_db db "$db_vol" --label "docker-volume-backup.stop-during-backup=$LABEL" \
  --label 'docker-volume-backup.drill-check=test -s /data/log && wc -l </data/log' \
  --label 'docker-volume-backup.drill-expect=^[1-9][0-9]*$'
run_volback_container volback "${VB_SOCKET[@]}" -v "$db_vol:/backup/db-data:ro" -e BACKUP_CRON_EXPRESSION="0 3 * * *"
wait_for_container_log volback 'Successfully scheduled backup'
for _ in $(seq 50); do [[ -s $(volume_path "$db_vol")/log ]] && break; sleep 0.1; done

dk exec "$IT_ID-volback" backup >"$T/backup.out" 2>&1 || { cat "$T/backup.out"; fail "docker exec backup failed"; }
assert_contains 'msg="Backup completed successfully"' "$T/backup.out"

t0=$(now_ns)
rc=0
dk exec "$IT_ID-volback" volback drill --backend S3 >"$T/drill.out" 2>"$T/drill.log" || rc=$?
cat "$T/drill.out" "$T/drill.log"
assert_eq 0 "$rc" "exit code of volback drill"
assert_contains "on S3: passed (" "$T/drill.out"
assert_contains "check of $IT_ID-db: passed: " "$T/drill.out"
assert_contains "restored=/data" "$T/drill.log"
assert_eq "" "$(events_since "$t0")" "docker events of the database during the drill"
assert_running db
assert_eq "" "$(dk ps -aq --filter label=volback.drill-twin-of)" "drill twins left"
assert_eq "" "$(dk exec "$IT_ID-volback" ls -A /var/lib/volback/drill)" "scratch directories left"
echo PASS
