#!/usr/bin/env bash
# Scenarios 1 and 2 of the reference deployment: a labelled busybox "db" writes its volume
# continuously (and exits on SIGTERM); an unlabelled "reader" shares a volume read-only;
# volback's image runs beside them with both volumes under /backup/*, the socket and a state
# volume. `docker exec <volback> backup` exits 0, the object is in S3 and extracts to
# backup/<volume>/..., the db was stopped during the archive and runs afterwards, the reader
# was never stopped. Then docs/restore-runbook.md: `volback list` and `verify` in the
# container, `volback restore --in-place` in a one-off container of the image (stopping and
# restarting the db), and the GNU tar procedure, each restoring a volume exactly.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
db_vol=$(volume db-data)
shared_vol=$(volume shared)
mkdir -p "$(volume_path "$shared_vol")/docs"
echo "shared file" >"$(volume_path "$shared_vol")/docs/readme.txt"
run_db db "$db_vol" --label "docker-volume-backup.stop-during-backup=$LABEL"
run_reader reader "$shared_vol"
run_volback_container volback "${VB_SOCKET[@]}" \
  -v "$db_vol:/backup/db-data:ro" -v "$shared_vol:/backup/shared:ro" \
  -e BACKUP_CRON_EXPRESSION="0 3 * * *" -e BACKUP_RETENTION_DAYS=14
wait_for_container_log volback 'Successfully scheduled backup'
for _ in $(seq 50); do [[ -s $(volume_path "$db_vol")/log ]] && break; sleep 0.1; done

t0=$(now_ns)
start=$(date +%s%N)
rc=0
dk exec "$IT_ID-volback" backup >"$T/exec.out" 2>&1 || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$T/exec.out"
echo "docker exec ... backup: exit $rc in $((ms / 1000)).$(printf %03d $((ms % 1000)))s"
assert_eq 0 "$rc" "exit code of docker exec backup"
assert_contains 'msg="Backup completed successfully"' "$T/exec.out"
assert_contains 'msg="Finished running backup tasks."' "$T/exec.out"

assert_eq "$(printf 'die db\nstart db')" "$(events_since "$t0")" "docker events"
assert_running db
assert_running reader

mapfile -t keys < <(s3_keys)
[[ ${#keys[@]} == 1 && ${keys[0]} == backup-*.tar.gz ]] || fail "expected one backup-*.tar.gz in S3, got: ${keys[*]}"
fetch_object "${keys[0]}" "$T/x"
assert_dir "$T/x/backup/db-data"
assert_file "$T/x/backup/db-data/log"
assert_eq "shared file" "$(cat "$T/x/backup/shared/docs/readme.txt")" "shared volume's file"
# The db's log is whole: the numbers 1..N, one a line.
n=$(wc -l <"$T/x/backup/db-data/log")
assert_eq "$(seq "$n")" "$(cat "$T/x/backup/db-data/log")" "the db's log in the archive"
if list_archive "$T/${keys[0]}" | grep -Ev '^(backup(/|$)|volback-manifest\.json$)'; then
  fail "entries outside backup/"
fi
# docs/restore-runbook.md, step 4, restores the shared volume into a new one.
restored=$(volume restored)
cp "$T/${keys[0]}" "$T/archive.tar.gz"
dk run --rm --network none -v "$restored":/restore/backup/shared \
  -v "$T/archive.tar.gz":/in/archive.tar.gz:ro "$VOLBACK_IT_BASE_IMAGE" bash -euc '
    find /restore/backup/shared -mindepth 1 -delete
    tar -xzf /in/archive.tar.gz -C /restore \
      --same-owner --numeric-owner --preserve-permissions \
      --xattrs --xattrs-include="*" --acls --warning=no-unknown-keyword \
      backup/shared' || fail "the runbook's restore command failed"
compare_trees "$(volume_path "$shared_vol")" "$(volume_path "$restored")"
# docs/restore-runbook.md with volback: list, verify, and the one-off restore container that
# restores a volume in place (stopping and restarting the labelled db meanwhile).
dk exec "$IT_ID-volback" volback list >"$T/list.out" || fail "volback list failed"
cat "$T/list.out"
assert_contains "${keys[0]}" "$T/list.out"
dk exec "$IT_ID-volback" volback verify latest >"$T/verify.out" || { cat "$T/verify.out"; fail "volback verify failed"; }
cat "$T/verify.out"
assert_contains "${keys[0]} on S3: intact" "$T/verify.out"
restored2=$(volume restored2)
t1=$(now_ns)
dk run --rm --network host -v "$restored2:/backup/shared" -v "$IT_ID-volback-state:/var/lib/volback" \
  "${VB_SOCKET[@]}" "${VB_S3_ENV[@]}" \
  -e "BACKUP_STOP_DURING_BACKUP_LABEL=$LABEL" "$VOLBACK_IT_VOLBACK_IMAGE" \
  volback restore latest --in-place --volume shared --overwrite >"$T/restore.out" 2>&1 ||
  { cat "$T/restore.out"; fail "volback restore in a one-off container failed"; }
cat "$T/restore.out"
compare_trees "$(volume_path "$shared_vol")" "$(volume_path "$restored2")"
assert_eq "$(printf 'die db\nstart db')" "$(events_since "$t1")" "docker events of the restore"
assert_running db
# The run is recorded in the state volume.
[[ -n $(find "$(volume_path "$IT_ID-volback-state")/runs" -type f) ]] || fail "no run history in the state volume"
echo PASS
