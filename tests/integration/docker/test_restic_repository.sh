#!/usr/bin/env bash
# A backup run into a restic-format repository (RESTIC_REPOSITORY) with no tar backend: the
# labelled container stops while the files are read and starts again before the snapshot is
# written; restic 0.14 checks every byte and restores the volume; the second run reads only
# the changed file and stores no new data for the unchanged ones. `volback restore` brings
# back either snapshot (--to, and --in-place with the container stopped meanwhile); a damaged
# pack fails the restore and leaves the target untouched; retention forgets and prunes.
# Also: `volback init` twice, `volback drill` on the latest snapshot, `volback check`
# (--read-data names a damaged pack), `volback snapshots` (table and restic's JSON), a
# missing repository and a wrong password.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"
require_tool restic restic

REPO=$T/repo
export RESTIC_PASSWORD=volback-docker-restic
REPO_ENV=(RESTIC_REPOSITORY="$REPO" RESTIC_PASSWORD="$RESTIC_PASSWORD" BACKUP_ARCHIVE="$T/no-archive"
  RESTIC_HOST=volback-it)
rr() { restic --no-cache -q -r "$REPO" "$@"; }

step "no repository yet: the run fails before anything stops and says how to create one"
run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
mkdir -p "$SRC/app/sub"
echo "payload $IT_ID" >"$SRC/app/file.txt"
make_random_file "$SRC/app/sub/bulk.bin" $((6 * 1024 * 1024))
t0=$(now_ns)
run_docker_backup "${REPO_ENV[@]}"
assert_exit 1
assert_contains 'create it with `volback init`' "$VOLBACK_LOG"
assert_eq "" "$(events_since "$t0")" "docker events without a repository"

step "volback init, twice"
run_volback "${REPO_ENV[@]}" -- init
assert_exit 0
assert_contains "created restic repository" "$VOLBACK_OUT"
run_volback "${REPO_ENV[@]}" -- init
assert_exit 1
assert_contains "already holds a repository" "$VOLBACK_LOG"

step "first run: the container is down only while the files are read"
t0=$(now_ns)
run_docker_backup "${REPO_ENV[@]}"
assert_success
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
restart_line=$(grep -n "Every file is read" "$VOLBACK_LOG" | cut -d: -f1)
saved_line=$(grep -n "Snapshot [0-9a-f]* saved" "$VOLBACK_LOG" | cut -d: -f1)
[[ -n $restart_line && -n $saved_line && $restart_line -lt $saved_line ]] ||
  fail "the containers should restart before the snapshot is saved (lines $restart_line, $saved_line)"
assert_empty_dir "$REPO/locks"

step "restic check --read-data, snapshots and restore"
rr check --read-data >"$T/check.out" 2>&1 || fail "restic check failed: $(cat "$T/check.out")"
rr snapshots --json >"$T/snapshots.json"
assert_eq 1 "$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/snapshots.json")" "snapshots"
assert_contains '"hostname":"volback-it"' "$T/snapshots.json"
assert_contains '"tags":["volback","environment"]' "$T/snapshots.json"
rr restore latest --target "$T/restored"
compare_trees "$SRC" "$T/restored$SRC"

step "second run: the unchanged file is not read again and adds no data"
echo "changed $IT_ID" >"$SRC/app/file.txt"
run_docker_backup "${REPO_ENV[@]}"
assert_success
saved=$(grep "Snapshot [0-9a-f]* saved" "$VOLBACK_LOG")
[[ $saved == *files_unchanged=1* ]] || fail "the unchanged file should be kept from the parent: $saved"
bytes_read=$(sed -n 's/.* bytes_read=\([0-9]*\).*/\1/p' <<<"$saved")
((bytes_read < 1024)) || fail "the second run read $bytes_read bytes; only the changed file should be read"
echo "SECOND RUN: $saved"

step "volback snapshots"
run_volback "${REPO_ENV[@]}" -- snapshots
assert_exit 0
assert_contains "2 snapshots" "$VOLBACK_OUT"
run_volback "${REPO_ENV[@]}" -- snapshots --json
assert_exit 0
assert_eq 2 "$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$VOLBACK_OUT")" "snapshots in JSON"
assert_eq "$(rr snapshots --json | /usr/bin/python3 -c 'import json,sys; print(sorted(s["id"] for s in json.load(sys.stdin)))')" \
  "$(/usr/bin/python3 -c 'import json,sys; print(sorted(s["id"] for s in json.load(open(sys.argv[1]))))' "$VOLBACK_OUT")" \
  "the same snapshot ids as restic's"

step "volback restore: the first snapshot --to a directory, the latest in place"
first=$(/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s[0]["short_id"])' "$VOLBACK_OUT")
run_volback "${REPO_ENV[@]}" -- restore "$first" --to "$T/first"
assert_exit 0
assert_eq "payload $IT_ID" "$(cat "$T/first/app/file.txt")" "the first snapshot's file"
cmp "$SRC/app/sub/bulk.bin" "$T/first/app/sub/bulk.bin" || fail "bulk.bin differs"
echo "garbage" >"$SRC/app/file.txt"
rm "$SRC/app/sub/bulk.bin"
t0=$(now_ns)
run_docker_backup "${REPO_ENV[@]}" -- restore latest --in-place --overwrite
assert_exit 0
assert_eq "changed $IT_ID" "$(cat "$SRC/app/file.txt")" "the file restored in place"
cmp "$T/first/app/sub/bulk.bin" "$SRC/app/sub/bulk.bin" || fail "bulk.bin not restored in place"
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events of the restore in place"
assert_running app

step "volback drill on the latest snapshot"
run_volback "${REPO_ENV[@]}" VOLBACK_DRILL_DIR="$T/drill" -- drill
assert_exit 0
assert_contains "passed" "$VOLBACK_OUT"
assert_contains "checked against their blob ids" "$VOLBACK_OUT"
assert_empty_dir "$T/drill"

step "volback check --read-data"
run_volback "${REPO_ENV[@]}" -- check --read-data
assert_exit 0
assert_contains "no errors were found" "$VOLBACK_OUT"

step "a damaged pack: check names it, the restore fails and the target is untouched"
cp -a "$REPO" "$T/damaged"
pack=$(find "$T/damaged/data" -type f -size +1M | head -n1)
printf 'X' | dd of="$pack" bs=1 seek=1000 conv=notrunc status=none
run_volback "${REPO_ENV[@]}" RESTIC_REPOSITORY="$T/damaged" -- check
assert_exit 0
run_volback "${REPO_ENV[@]}" RESTIC_REPOSITORY="$T/damaged" -- check --read-data
assert_exit 1
assert_contains "${pack##*/}" "$VOLBACK_OUT"
mkdir -p "$T/untouched/app"
echo keep >"$T/untouched/app/mine.txt"
run_volback "${REPO_ENV[@]}" RESTIC_REPOSITORY="$T/damaged" -- restore latest --to "$T/untouched" --overwrite
assert_exit 1
assert_eq "keep" "$(cat "$T/untouched/app/mine.txt")" "the target's file"
assert_eq "mine.txt" "$(ls -A "$T/untouched/app")" "the target's entries"
assert_eq "app" "$(ls -A "$T/untouched")" "no staging left"

step "retention: BACKUP_RETENTION_KEEP_LAST=1 forgets the older snapshots and prunes"
rm -f "$SRC/app/sub/bulk.bin"
before=$(du -sb "$REPO/data" | cut -f1)
run_docker_backup "${REPO_ENV[@]}" BACKUP_RETENTION_KEEP_LAST=1
assert_success
assert_contains "Pruned the repository" "$VOLBACK_LOG"
assert_eq 1 "$(rr snapshots --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "snapshots after pruning"
rr check --read-data >"$T/check3.out" 2>&1 || fail "restic check after pruning failed: $(cat "$T/check3.out")"
after=$(du -sb "$REPO/data" | cut -f1)
((after < before / 2)) || fail "the repository did not shrink: $before -> $after bytes"
echo "PRUNED: data/ $before -> $after bytes"

step "a wrong password: exit 1, nothing stopped"
t0=$(now_ns)
run_docker_backup "${REPO_ENV[@]}" RESTIC_PASSWORD="not-the-password-$IT_ID"
assert_exit 1
assert_contains "repository $REPO" "$VOLBACK_LOG"
assert_eq "" "$(events_since "$t0")" "docker events with a wrong password"
assert_not_contains "not-the-password-$IT_ID"
echo "PASS"
