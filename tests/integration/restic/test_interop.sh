#!/usr/bin/env bash
# volback's restic repositories and restic 0.14 read each other: a repository volback
# creates takes restic's backups and passes `restic check --read-data`; a snapshot volback
# writes lists, checks and restores with restic, byte for byte and with its metadata; the
# same data backed up again, by volback or by restic, adds no data blobs (the chunkers cut
# alike); volback writes into a repository restic created, deduplicating against restic's
# blobs.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=restic_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restic_lib.sh"
require_tool setfattr attr

make_restic_tree "$SRC"
REPO=$T/repo

step "volback creates a repository that restic opens"
"$RESTIC_TOOL" init "$REPO" || fail "volback-restic-tool init failed"
rr "$REPO" cat config | grep -q '"version": 2' || fail "restic cannot read the config"
rr "$REPO" key list >/dev/null || fail "restic cannot list the key"

step "a snapshot volback writes: restic lists, checks and restores it"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "volback-restic-tool backup failed"
echo "first: $out"
rr "$REPO" snapshots --json | grep -q '"hostname":"volback-host"' || fail "restic does not list the snapshot"
rr "$REPO" check --read-data || fail "restic check --read-data refused volback's repository"
rr "$REPO" restore latest --target "$T/restored" || fail "restic restore failed"
compare_trees "$SRC" "$T/restored$SRC"

step "the same data again: nothing read (the parent snapshot's metadata), no new data blobs"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "second backup failed"
echo "second: $out"
assert_eq 0 "$(tool_field "$out" data_blobs_new)" "data blobs of an unchanged tree"
assert_eq 0 "$(tool_field "$out" bytes_read)" "bytes read of an unchanged tree"
assert_eq "$(tool_field "$out" files)" "$(tool_field "$out" files_unchanged)" "files kept from the parent"
rr "$REPO" snapshots --json | grep -q '"parent":"' || fail "the second snapshot names no parent"

step "a file rewritten with the same size and mtime is read again (its ctime changed)"
stamp=$(stat -c %y "$SRC/sub/half.bin")
make_random_file "$SRC/sub/half.bin" $((512 << 10))
touch -d "$stamp" "$SRC/sub/half.bin"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "third backup failed"
echo "third: $out"
assert_eq 1 "$(tool_field "$out" data_blobs_new)" "data blobs of the rewritten file"
rm -rf "$T/restored"
rr "$REPO" restore latest --host volback-host --target "$T/restored" || fail "restic restore of the third snapshot"
compare_trees "$SRC" "$T/restored$SRC"

step "restic backs up the same tree into volback's repository and adds no data"
summary=$(restic --no-cache -r "$REPO" backup --json --host restic-host "$SRC" | grep '"message_type":"summary"') ||
  fail "restic backup into volback's repository failed"
echo "restic: $summary"
[[ $summary == *'"data_blobs":0,'* ]] || fail "restic added data blobs: the chunkers cut differently"
rr "$REPO" check --read-data || fail "restic check after both wrote"

step "volback writes into a repository restic created, deduplicating against restic's blobs"
REPO2=$T/restic-repo
rr "$REPO2" init || fail "restic init failed"
restic --no-cache -q -r "$REPO2" backup --host restic-host "$SRC" || fail "restic backup failed"
out=$("$RESTIC_TOOL" backup "$REPO2" volback-host "$SRC") || fail "volback cannot write into restic's repository"
echo "into restic's: $out"
assert_eq 0 "$(tool_field "$out" data_blobs_new)" "data blobs already stored by restic"
rr "$REPO2" check --read-data || fail "restic check of its repository after volback wrote"
rr "$REPO2" restore latest --host volback-host --target "$T/restored2" || fail "restic restore of volback's snapshot"
compare_trees "$SRC" "$T/restored2$SRC"

step "a wrong password: a clear error, nothing written"
before=$(find "$REPO" -type f | wc -l)
RESTIC_PASSWORD=wrong "$RESTIC_TOOL" backup "$REPO" volback-host "$SRC" 2>"$T/wrong.err" && fail "a wrong password was accepted"
grep -q "wrong password" "$T/wrong.err" || fail "no clear message: $(cat "$T/wrong.err")"
assert_eq "$before" "$(find "$REPO" -type f | wc -l)" "files in the repository"
