#!/usr/bin/env bash
# The run lock (VOLBACK_LOCK_FILE, flock like offen's /var/lock/dockervolumebackup.lock): while
# another process holds it, a run gives up after LOCK_TIMEOUT with exit 1 and writes nothing;
# once it is released, the run succeeds.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool flock util-linux
printf 'data\n' >"$SRC/file.txt"

step "first run creates the lock file"
run_volback BACKUP_FILENAME=first.tar.gz
assert_success
[[ -e $VOLBACK_LOCK_FILE ]] || fail "no lock file at $VOLBACK_LOCK_FILE"
rm -f "$ARCHIVE"/*

step "lock held elsewhere: LOCK_TIMEOUT=2s expires"
exec {lock_fd}>>"$VOLBACK_LOCK_FILE"
flock -x -n "$lock_fd" || fail "cannot take the lock for the test"
start=$(date +%s)
run_volback LOCK_TIMEOUT=2s BACKUP_FILENAME=blocked.tar.gz
elapsed=$(($(date +%s) - start))
assert_exit 1
grep -qi lock "$VOLBACK_LOG" || fail "the failure does not mention the lock"
assert_not_contains 'msg="Backup completed successfully"'
assert_empty_dir "$ARCHIVE"
((elapsed >= 1 && elapsed <= 20)) || fail "gave up after ${elapsed}s with LOCK_TIMEOUT=2s"

step "lock released: the run succeeds"
exec {lock_fd}>&-
run_volback LOCK_TIMEOUT=2s BACKUP_FILENAME=after.tar.gz
assert_success
assert_file "$ARCHIVE/after.tar.gz"
echo "ok"
