#!/usr/bin/env bash
# Scenarios 3, 4 and 5 against a real dockerd, with a running labelled busybox container using
# the volume, an unlabelled one reading the same directory and a bystander using another one:
#   3. after the backup the volume changes; `restore --in-place --overwrite` stops the
#      labelled container and the unlabelled reader (found through the Docker API by its
#      mount), restores, starts them again; the bystander is never touched; the volume equals
#      the backup; no .volback-* left; --dry-run names both containers and changes nothing;
#      the backup's manifest names the container it stopped;
#   4. a restore from a corrupted archive fails midway: the old content is untouched and the
#      container is running;
#   5. without --overwrite a non-empty volume is refused and nothing changes; a read-only
#      target is refused at once with the one-off `docker run` command;
#   6. a restore SIGKILLed while extracting leaves the container stopped and a staging
#      directory; the next backup restarts the container, removes the staging directory and
#      does not archive it.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
# shellcheck source=restore_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restore_lib.sh"
require_tool mount
require_tool cmp diffutils

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
mkdir -p "$T/elsewhere"
for c in reader:"$SRC/app:/shared:ro" bystander:"$T/elsewhere:/data"; do
  dk run -d --name "$IT_ID-${c%%:*}" --network none --label "volback-it=$IT_ID" -v "${c#*:}" "$VOLBACK_IT_IMAGE" \
    sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait; done' >/dev/null || fail "docker run ${c%%:*} failed"
done
make_random_file "$SRC/app/data.bin" $((1024 * 1024))
printf 'version 1\n' >"$SRC/app/config.txt"
mkdir -p "$SRC/app/dir" && printf 'kept\n' >"$SRC/app/dir/kept.txt"
chown -R 1234:1234 "$SRC/app/dir"
run_docker_backup
assert_success
cp -a "$SRC/app" "$T/expected"
archive=$(single_archive "$ARCHIVE")
tar -xzOf "$archive" volback-manifest.json | head -c 4096 >"$T/manifest-head"
assert_contains "\"stopped_containers\":[\"$IT_ID-app\"]" "$T/manifest-head"

restore_in_place() { run_docker_backup -- restore latest --in-place "$@"; }

step "the volume changes after the backup"
printf 'version 2\n' >"$SRC/app/config.txt"
rm "$SRC/app/dir/kept.txt"
printf 'new\n' >"$SRC/app/added.txt"
changed=$(tree_digest "$SRC/app")

step "scenario 5: without --overwrite the non-empty volume is refused"
t0=$(now_ns)
restore_in_place
assert_exit 2
assert_contains "is not empty; nothing was changed"
assert_eq "$changed" "$(tree_digest "$SRC/app")" "volume content after the refusal"
assert_eq "" "$(events_since "$t0")" "container events (nothing stopped)"

step "scenario 5: a read-only target is refused with the one-off command"
mount --bind "$SRC/app" "$SRC/app"
mount -o remount,ro,bind "$SRC/app" || { umount "$SRC/app"; fail "cannot remount read-only"; }
restore_in_place --overwrite
umount "$SRC/app"
assert_exit 2
assert_contains "is read-only"
assert_contains "docker run --rm -v $SRC/app:/backup/app"
assert_contains "volback restore"
assert_eq "$changed" "$(tree_digest "$SRC/app")" "volume content after the read-only refusal"

step "scenario 4: a corrupted archive fails midway and changes nothing"
cp "$archive" "$T/pristine"
size=$(stat -c %s "$archive")
printf 'garbage-garbage-garbage' | dd of="$archive" bs=1 seek=$((size / 2)) conv=notrunc status=none
t0=$(now_ns)
restore_in_place --overwrite
assert_exit 1
assert_log_line ERROR "Restore failed"
assert_eq "$changed" "$(tree_digest "$SRC/app")" "volume content after the failed restore"
assert_no_leftovers "$SRC/app"
assert_running app
cp "$T/pristine" "$archive"

step "scenario 3: --dry-run names the containers it would stop and changes nothing"
t0=$(now_ns)
restore_in_place --overwrite --dry-run
assert_exit 0
assert_contains "containers would be stopped meanwhile: $IT_ID-app, $IT_ID-reader" "$VOLBACK_OUT"
assert_eq "$changed" "$(tree_digest "$SRC/app")" "volume content after the dry run"
assert_eq "" "$(events_since "$t0")" "container events of the dry run"

step "scenario 3: restore --in-place --overwrite"
t0=$(now_ns)
restore_in_place --overwrite
assert_exit 0
assert_eq "$(printf 'die app\ndie reader\nstart reader\nstart app')" "$(events_since "$t0")" "container events"
assert_log_line INFO "Stopping 1 more container(s) as they use the volumes being restored."
assert_running app
assert_running reader
assert_running bystander
compare_trees "$T/expected" "$SRC/app"
assert_no_leftovers "$SRC/app"
assert_eq "version 1" "$(dk exec "$IT_ID-app" cat /data/config.txt)" "what the container sees"

step "scenario 6: a restore killed while extracting is repaired by the next backup"
make_random_file "$SRC/app/big.bin" $((256 * 1024 * 1024))
run_docker_backup
assert_success
# A killed restore cannot put back the volume directory's own mtime; everything in it counts.
entries_digest() { tree_manifest "$1" | grep -v '^\.|' | sha256sum; }
before=$(entries_digest "$SRC/app")
start_volback_bg DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" -- \
  restore latest --in-place --overwrite
for _ in $(seq 600); do
  compgen -G "$SRC/app/.volback-restore-*/big.bin" >/dev/null && break
  kill -0 "$FROZEN_PID" 2>/dev/null || fail "the restore ended before it extracted big.bin"
  sleep 0.05
done
freeze
kill_frozen
compgen -G "$SRC/app/.volback-restore-*" >/dev/null || fail "no staging directory after the kill"
assert_stopped app
run_docker_backup
assert_success
assert_log_line WARN "Removed the staging directory of a restore that was interrupted before it changed anything"
assert_running app
assert_running reader
assert_no_leftovers "$SRC/app"
assert_eq "$before" "$(entries_digest "$SRC/app")" "volume content after the killed restore"
newest=$(ls -t "$ARCHIVE"/backup-*.tar.gz | head -n 1)
if tar -tzf "$newest" | grep -F .volback-; then fail "the backup archived a restore's leftovers"; fi
echo "PASS"
