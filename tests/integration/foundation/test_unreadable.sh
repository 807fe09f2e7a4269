#!/usr/bin/env bash
# A file the backup user cannot read: volback, run as nobody (65534), still writes the archive
# with every other file, names the unreadable file in its log and exits 3 ("incomplete").
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_root
require_tool setpriv util-linux
require_tool tar

step "source tree readable by nobody, except one mode-000 file"
mkdir -p "$SRC/sub"
printf 'first\n' >"$SRC/a.txt"
printf 'second\n' >"$SRC/sub/b.txt"
make_random_file "$SRC/sub/random.bin" 20000
printf 'you cannot read me\n' >"$SRC/sub/locked.bin"
chmod 000 "$SRC/sub/locked.bin"

# nobody needs to reach everything: the test directory, the binary, the archive, lock and state.
chmod 755 "$T"
chmod 777 "$ARCHIVE" "$T/run"
mkdir -p "$VOLBACK_STATE_DIR"
chown 65534:65534 "$VOLBACK_STATE_DIR"
# The build tree may sit below a directory nobody cannot enter (e.g. a clone in /root).
mkdir -p "$T/bin"
cp "$VOLBACK_BIN" "$T/bin/volback"
chmod 755 "$T/bin" "$T/bin/volback"
VOLBACK_EXE=$T/bin/volback
VOLBACK_WRAPPER=(setpriv --reuid=65534 --regid=65534 --clear-groups)

step "the wrapper really drops privileges"
"${VOLBACK_WRAPPER[@]}" cat "$SRC/sub/locked.bin" >/dev/null 2>&1 &&
  fail "nobody can read the mode-000 file; the test cannot work"
"${VOLBACK_WRAPPER[@]}" test -x "$VOLBACK_EXE" || fail "nobody cannot execute $VOLBACK_EXE"
"${VOLBACK_WRAPPER[@]}" cat "$SRC/sub/b.txt" >/dev/null || fail "nobody cannot read $SRC (a parent directory is closed?)"

step "backup as nobody"
run_volback BACKUP_COMPRESSION=gz
assert_exit 3
assert_contains "locked.bin"
assert_not_contains 'msg="Backup completed successfully"'
assert_not_contains 'msg="Finished running backup tasks."'
grep -F "locked.bin" "$VOLBACK_LOG" | grep -qE 'level=(WARN|ERROR)' ||
  fail "the line naming locked.bin is neither a WARN nor an ERROR"

step "the archive holds the readable files"
archive=$(single_archive "$ARCHIVE")
[[ ${archive##*/} == *.tar.gz ]] || fail "unexpected archive name ${archive##*/}"
gzip -t "$archive" || fail "gzip -t rejects the archive"
extract_archive "$archive" "$T/extract"
ex=$(extracted_source "$T/extract")
for f in a.txt sub/b.txt sub/random.bin; do
  cmp -s "$SRC/$f" "$ex/$f" || fail "$f missing or different in the archive"
done
assert_eq "65534:65534" "$(stat -c %u:%g "$ARCHIVE/${archive##*/}")" "owner of the archive written by nobody"
echo "ok"
