#!/usr/bin/env bash
# offen's `cli` scenario with BACKUP_FROM_SNAPSHOT=true: a labelled container's volume holds a
# file and an empty directory. volback copies the volume while the container is stopped,
# restarts it right after the copy, then archives the copy: the archive has the volume's
# names (as without a snapshot), the container runs afterwards, and the copy is gone.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
echo "payload $IT_ID" >"$SRC/app/file.txt"
mkdir "$SRC/app/empty-dir"
spool=$T/spool
mkdir -p "$spool"

step "BACKUP_FROM_SNAPSHOT=true: the container is down for the copy only"
t0=$(now_ns)
run_docker_backup BACKUP_FROM_SNAPSHOT=true VOLBACK_SPOOL_DIR="$spool"
assert_success
assert_log_line WARN "Using BACKUP_FROM_SNAPSHOT has been deprecated and will be removed in the next major version."
# shellcheck disable=SC2016 # offen's message has backquotes
assert_log_line WARN 'Please use `archive-pre` and `archive-post` commands'
assert_log_line INFO "Created snapshot of \`$SRC\` at \`$spool/.volback-snapshot-"
grep -E 'msg="Created snapshot of .*: [0-9]+ bytes, (reflinked|copied|[0-9]+ of [0-9]+ files reflinked)' "$VOLBACK_LOG" \
  >/dev/null || fail "the snapshot line should give the bytes and whether reflinks were used"
assert_log_line INFO "Restarted 1 out of 1 stopped container(s)."
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app

step "the restart comes right after the copy, before the archive is written"
line_of() { grep -nF -- "$1" "$VOLBACK_LOG" | head -n1 | cut -d: -f1; }
created=$(line_of "Created snapshot of")
restarted=$(line_of "Restarted 1 out of 1 stopped container(s).")
archiving=$(line_of "Archiving the snapshot")
removed=$(line_of "Removed snapshot")
done_line=$(line_of "Created backup of")
for n in created restarted archiving removed done_line; do
  [[ -n ${!n} ]] || fail "log line for '$n' missing"
done
((created < restarted && restarted < archiving && archiving < removed && removed < done_line)) ||
  fail "log order: snapshot $created, restart $restarted, archiving $archiving, removed $removed, done $done_line"

step "the archive has the volume's names, the file and the empty directory"
archive=$(single_archive "$ARCHIVE")
list_archive "$archive" >"$T/members"
grep -qxF "${SRC#/}/app/file.txt" "$T/members" || fail "app/file.txt not in the archive under its own name"
grep -qxF "${SRC#/}/app/empty-dir/" "$T/members" || fail "the empty directory is not in the archive"
! grep -q 'volback-snapshot' "$T/members" || fail "an entry names the snapshot directory"
extract_archive "$archive" "$T/x"
assert_eq "payload $IT_ID" "$(cat "$(extracted_source "$T/x")/app/file.txt")" "file in the archive"
assert_dir "$(extracted_source "$T/x")/app/empty-dir"

step "the snapshot directory is gone"
assert_empty_dir "$spool"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
