#!/usr/bin/env bash
# BACKUP_LATEST_SYMLINK names a relative symlink in BACKUP_ARCHIVE that points to the newest
# archive; no temporary (.volback-partial-*) file is left behind.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

printf 'data\n' >"$SRC/file.txt"

step "first backup"
run_volback BACKUP_FILENAME=first.tar.gz BACKUP_LATEST_SYMLINK=latest.tar.gz
assert_success
assert_file "$ARCHIVE/first.tar.gz"
[[ -L $ARCHIVE/latest.tar.gz ]] || fail "latest.tar.gz is not a symlink"
assert_eq first.tar.gz "$(readlink "$ARCHIVE/latest.tar.gz")" "target of latest.tar.gz"

step "second backup with another name"
printf 'more data\n' >"$SRC/second.txt"
run_volback BACKUP_FILENAME=second.tar.gz BACKUP_LATEST_SYMLINK=latest.tar.gz
assert_success
assert_file "$ARCHIVE/first.tar.gz"
assert_file "$ARCHIVE/second.tar.gz"
[[ -L $ARCHIVE/latest.tar.gz ]] || fail "latest.tar.gz is not a symlink"
assert_eq second.tar.gz "$(readlink "$ARCHIVE/latest.tar.gz")" "target of latest.tar.gz"
gzip -t "$ARCHIVE/latest.tar.gz" || fail "latest.tar.gz does not resolve to a valid archive"
list_archive "$ARCHIVE/latest.tar.gz" | grep -xF >/dev/null "${SRC#/}/second.txt" ||
  fail "latest.tar.gz does not hold the second backup"

step "no temporary files left"
leftovers=$(find "$ARCHIVE" "$T" -name '.volback-partial-*' -printf '%p ')
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
assert_eq "first.tar.gz latest.tar.gz second.tar.gz" \
  "$(find "$ARCHIVE" -mindepth 1 -printf '%f\n' | LC_ALL=C sort | xargs)" "archive directory"
echo "ok"
