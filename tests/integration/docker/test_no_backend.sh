#!/usr/bin/env bash
# offen's "extend" recipe: no storage backend at all (BACKUP_ARCHIVE does not exist, nothing
# remote), and a labelled container whose copy-post hands the archive to another tool through
# COMMAND_RUNTIME_ARCHIVE_FILEPATH. The run writes the archive to a spool file in
# VOLBACK_SPOOL_DIR, runs every phase's commands with the path set (also when nothing is
# stopped), removes the file afterwards and exits 0. A list without a backend is exit 2.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

p=docker-volume-backup
spool=$T/spool
out=$T/out
mkdir -p "$spool" "$out"
mkdir -p "$SRC/app" && echo "precious" >"$SRC/app/data.txt"
# The spool directory is mounted at the same path, so the command sees the host's file.
copy_post='/bin/sh -c '\''cat "$COMMAND_RUNTIME_ARCHIVE_FILEPATH" > /out/copy.tar.gz; echo "$COMMAND_RUNTIME_ARCHIVE_FILEPATH" > /out/path.txt'\'
run_container app --label "$p.stop-during-backup=$LABEL" --label "$p.exec-label=$LABEL" \
  -v "$spool:$spool" -v "$out:/out" --label "$p.copy-post=$copy_post"

step "no backend, a stopped container: the copy-post command gets the archive"
t0=$(now_ns)
run_docker_backup EXEC_LABEL="$LABEL" BACKUP_ARCHIVE="$T/no-such-archive-dir" VOLBACK_SPOOL_DIR="$spool"
assert_success
assert_contains "No storage backend is configured"
[[ -s $out/copy.tar.gz ]] || fail "copy-post did not receive the archive"
mkdir "$out/x" && tar -xzf "$out/copy.tar.gz" -C "$out/x" || fail "GNU tar cannot extract what copy-post received"
extracted=$(find "$out/x" -path '*/app/data.txt' -type f)
[[ -n $extracted ]] || fail "app/data.txt is not in the copied archive"
assert_eq precious "$(cat "$extracted")" "the file in the copied archive"
[[ $(cat "$out/path.txt") == "$spool"/* ]] || fail "COMMAND_RUNTIME_ARCHIVE_FILEPATH is not in the spool: $(cat "$out/path.txt")"
assert_empty_dir "$spool"
assert_no_file "$T/no-such-archive-dir"
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app

step "nothing stopped: the path is still set for copy-post"
rm -rf "${out:?}"/*
run_docker_backup EXEC_LABEL="$LABEL" BACKUP_ARCHIVE="$T/no-such-archive-dir" VOLBACK_SPOOL_DIR="$spool" \
  BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL-nothing"
assert_success
[[ -s $out/copy.tar.gz ]] || fail "copy-post did not receive the archive when nothing was stopped"
gzip -t "$out/copy.tar.gz" || fail "the copied archive is not a complete gzip stream"
assert_empty_dir "$spool"

step "reading backups needs a backend: list is exit 2"
run_volback BACKUP_ARCHIVE="$T/no-such-archive-dir" -- list
assert_exit 2
assert_contains "no storage backend is configured"
