#!/usr/bin/env bash
# Restoring a named volume in place from volback's image, as docs/restore-runbook.md says: the
# volume is used by a labelled "db" (read-write), an unlabelled "reader" (read-only) and by
# volback's long-running container (read-only, under /backup/*); a "bystander" uses another
# volume.
#   - In volback's own container the read-only target is refused; the message names the real
#     Docker volume in the one-off `docker run` command.
#   - That command, run as printed (with the settings filled in), restores the volume: volback
#     learns from the kernel which container it runs in, finds every other container using the
#     volume through the Docker API, stops db, reader and the long-running volback container,
#     restores, and starts them again; it never stops itself or the bystander.
#   - --dry-run names those containers and changes nothing.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
data=$(volume data)
other=$(volume other)
archive_dir="$T/archive"
mkdir -p "$archive_dir"
run_db db "$data" --label "docker-volume-backup.stop-during-backup=$LABEL"
run_reader reader "$data"
run_reader bystander "$other"
common=(-e BACKUP_ARCHIVE=/archive -e "BACKUP_STOP_DURING_BACKUP_LABEL=$LABEL")
dk run -d --name "$IT_ID-volback" --network none --label "volback-it=$IT_ID" "${VB_SOCKET[@]}" \
  -v "$data:/backup/data:ro" -v "$archive_dir:/archive" "${common[@]}" \
  -e BACKUP_CRON_EXPRESSION="0 3 * * *" "$VOLBACK_IT_VOLBACK_IMAGE" >/dev/null || fail "docker run volback failed"
wait_for_container_log volback 'Successfully scheduled backup'
for _ in $(seq 50); do [[ -s $(volume_path "$data")/log ]] && break; sleep 0.1; done

step "a backup in volback's container"
dk exec "$IT_ID-volback" backup >"$T/backup.out" 2>&1 || { cat "$T/backup.out"; fail "backup failed"; }
archived=$(ls "$archive_dir")
echo "archive: $archived"
# The db's log as archived; the db writes on, so the volume changes after the backup.
tar -xzOf "$archive_dir/$archived" backup/data/log >"$T/archived-log" || fail "cannot read the archived log"
for _ in $(seq 50); do (($(wc -l <"$(volume_path "$data")/log") > $(wc -l <"$T/archived-log") + 2)) && break; sleep 0.1; done

step "in volback's own container the read-only volume is refused with the one-off command"
rc=0
dk exec "$IT_ID-volback" volback restore latest --in-place --overwrite >"$T/refused.out" 2>&1 || rc=$?
cat "$T/refused.out"
assert_eq 2 "$rc" "exit code of the refused restore"
assert_contains "docker run --rm -v $data:/backup/data " "$T/refused.out"
assert_contains "-v $archive_dir:/archive:ro" "$T/refused.out"

oneoff() {
  dk run --rm --network none -v "$data:/backup/data" -v "$archive_dir:/archive:ro" "${VB_SOCKET[@]}" \
    --label "volback-it=$IT_ID" "${common[@]}" -e BACKUP_SOURCES=/backup "$VOLBACK_IT_VOLBACK_IMAGE" \
    volback restore latest --in-place --volume data --overwrite "$@"
}

step "--dry-run names the containers it would stop"
t0=$(now_ns)
oneoff --dry-run >"$T/dry.out" 2>&1 || { cat "$T/dry.out"; fail "dry run failed"; }
cat "$T/dry.out"
assert_contains "containers would be stopped meanwhile: $IT_ID-db, $IT_ID-reader, $IT_ID-volback" "$T/dry.out"
assert_eq "" "$(events_since "$t0" | grep -E ' (db|reader|volback|bystander)$' || true)" "events of the dry run"

step "the one-off restore stops every user of the volume and brings them back"
t0=$(now_ns)
oneoff >"$T/restore.out" 2>&1 || { cat "$T/restore.out"; fail "the one-off restore failed"; }
cat "$T/restore.out"
events=$(events_since "$t0" | grep -E ' (db|reader|volback|bystander)$' || true)
echo "$events"
for c in db reader volback; do
  grep -qx "die $c" <<<"$events" || fail "$c was not stopped"
  grep -qx "start $c" <<<"$events" || fail "$c was not started again"
  assert_running "$c"
done
grep -q bystander <<<"$events" && fail "the bystander was stopped"
assert_running bystander
# The db was stopped before the swap: right after the restore its log is the archived one, up
# to the lines it wrote since it was started again.
head -n "$(wc -l <"$T/archived-log")" "$(volume_path "$data")/log" >"$T/restored-head"
cmp "$T/archived-log" "$T/restored-head" || fail "the restored log differs from the archived one"
[[ -z $(find "$(volume_path "$data")" -maxdepth 1 -name '.volback-*') ]] || fail "leftovers in the volume"
echo PASS
