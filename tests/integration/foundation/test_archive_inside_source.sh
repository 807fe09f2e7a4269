#!/usr/bin/env bash
# When BACKUP_ARCHIVE lies inside BACKUP_SOURCES, the archive being written is not archived
# into itself (earlier backups are, as with offen), and the CLI names an unknown command.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

printf 'data\n' >"$SRC/file.txt"
inside=$SRC/archive
mkdir -p "$inside"

step "archive directory inside the source"
run_volback BACKUP_ARCHIVE="$inside" BACKUP_FILENAME=one.tar.gz
assert_success
entries=$(list_archive "$inside/one.tar.gz")
grep -qxF "${SRC#/}/file.txt" <<<"$entries" || fail "file.txt missing: $entries"
if grep -q 'volback-partial' <<<"$entries"; then
  fail "the archive contains volback's own partial file: $entries"
fi

step "unknown command"
run_volback -- no-such-command
assert_exit 2
assert_contains 'unknown command "no-such-command"'
echo "ok"
