#!/usr/bin/env bash
# Bad configuration exits 2, names the variable and writes nothing. Also: VAR_FILE contents are
# trimmed of their trailing newline, and the `backup` symlink runs a backup without arguments.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

printf 'data\n' >"$SRC/file.txt"
printf 'name-from-file.tar.gz\n' >"$T/filename"

# expect_usage_error NEEDLE [VAR=VALUE...] — exit 2, NEEDLE in the log, nothing written.
expect_usage_error() {
  local needle=$1
  shift
  step "$* -> exit 2 naming $needle"
  run_volback "$@"
  assert_exit 2
  assert_contains "$needle"
  assert_not_contains 'msg="Backup completed successfully"'
  assert_empty_dir "$ARCHIVE"
}

expect_usage_error BACKUP_COMPRESSION BACKUP_COMPRESSION=bz2
expect_usage_error BACKUP_EXCLUDE_REGEXP 'BACKUP_EXCLUDE_REGEXP=('
expect_usage_error BACKUP_FILENAME_FILE BACKUP_FILENAME=direct.tar.gz BACKUP_FILENAME_FILE="$T/filename"
grep -E 'BACKUP_FILENAME([^_]|$)' "$VOLBACK_LOG" >/dev/null ||
  fail "the message should name both BACKUP_FILENAME and BACKUP_FILENAME_FILE"
expect_usage_error BACKUP_SOURCES BACKUP_SOURCES="$T/nonexistent"
# An incomplete Dropbox configuration (offen needs all three) is refused before anything runs.
expect_usage_error "DROPBOX_APP_KEY and DROPBOX_APP_SECRET; only some of them are set" DROPBOX_REFRESH_TOKEN=token
expect_usage_error BACKUP_RETENTION_DAYS BACKUP_RETENTION_DAYS=notanumber

step "no storage backend: a backup stores nothing and says so (as offen); verify is exit 2"
mkdir -p "$T/spool"
run_volback BACKUP_ARCHIVE="$T/nonexistent/dir" VOLBACK_SPOOL_DIR="$T/spool"
assert_success
assert_contains "No storage backend is configured"
assert_no_file "$T/nonexistent"
assert_empty_dir "$T/spool"
run_volback BACKUP_ARCHIVE="$T/nonexistent/dir" -- verify latest
assert_exit 2
grep -qi backend "$VOLBACK_LOG" || fail "the message should mention the missing (storage) backend"

step "an unknown command is a usage error"
run_volback -- no-such-command
assert_exit 2
assert_empty_dir "$ARCHIVE"

step "BACKUP_FILENAME_FILE: the trailing newline is trimmed"
run_volback BACKUP_FILENAME_FILE="$T/filename"
assert_success
assert_file "$ARCHIVE/name-from-file.tar.gz"
assert_eq "name-from-file.tar.gz" "$(archive_files "$ARCHIVE" | xargs)" "archive directory"
gzip -t "$ARCHIVE/name-from-file.tar.gz" || fail "the archive is not valid gzip"
rm -f "$ARCHIVE"/*

step "the backup symlink runs a backup without arguments"
link=$(dirname "$VOLBACK_BIN")/backup
[[ -L $link ]] || fail "$link is not a symlink"
assert_eq volback "$(basename "$(readlink "$link")")" "target of $link"
VOLBACK_EXE=$link run_volback BACKUP_FILENAME=via-symlink.tar.gz --
assert_success
assert_file "$ARCHIVE/via-symlink.tar.gz"

step "a symlink named backup elsewhere (as /usr/bin/backup in an image) works too"
mkdir -p "$T/bin"
ln -s "$VOLBACK_BIN" "$T/bin/backup"
VOLBACK_EXE=$T/bin/backup run_volback BACKUP_FILENAME=via-other-symlink.tar.gz --
assert_success
assert_file "$ARCHIVE/via-other-symlink.tar.gz"
echo "ok"
