#!/usr/bin/env bash
# Scenarios 3, 4 and 5 against a real dockerd, with a running labelled busybox container using
# the volume:
#   3. after the backup the volume changes; `restore --in-place --overwrite` stops the
#      container, restores, starts it again; the volume equals the backup; no .volback-* left;
#   4. a restore from a corrupted archive fails midway: the old content is untouched and the
#      container is running;
#   5. without --overwrite a non-empty volume is refused and nothing changes; a read-only
#      target is refused at once with the one-off `docker run` command.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
# shellcheck source=restore_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restore_lib.sh"
require_tool mount
require_tool cmp diffutils

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
make_random_file "$SRC/app/data.bin" $((1024 * 1024))
printf 'version 1\n' >"$SRC/app/config.txt"
mkdir -p "$SRC/app/dir" && printf 'kept\n' >"$SRC/app/dir/kept.txt"
chown -R 1234:1234 "$SRC/app/dir"
run_docker_backup
assert_success
cp -a "$SRC/app" "$T/expected"

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
assert_contains "docker run --rm -v app:/backup/app"
assert_contains "volback restore"
assert_eq "$changed" "$(tree_digest "$SRC/app")" "volume content after the read-only refusal"

step "scenario 4: a corrupted archive fails midway and changes nothing"
archive=$(single_archive "$ARCHIVE")
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

step "scenario 3: restore --in-place --overwrite"
t0=$(now_ns)
restore_in_place --overwrite
assert_exit 0
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "container events"
assert_running app
compare_trees "$T/expected" "$SRC/app"
assert_no_leftovers "$SRC/app"
assert_eq "version 1" "$(dk exec "$IT_ID-app" cat /data/config.txt)" "what the container sees"
echo "PASS"
