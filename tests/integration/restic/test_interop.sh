#!/usr/bin/env bash
# volback's restic repositories and restic 0.14 read each other: a repository volback
# creates takes restic's backups and passes `restic check --read-data`; a snapshot volback
# writes lists, checks and restores with restic, byte for byte and with its metadata; the
# same data backed up again, by volback or by restic, adds no data blobs (the chunkers cut
# alike); volback writes into a repository restic created, deduplicating against restic's
# blobs; volback's check passes on both repositories (reading all data) and names the pack a
# flipped byte damaged, and volback reads restic's snapshot back with the same content; and
# volback writes into a version 1 repository (uncompressed) that restic checks and restores.
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

step "volback checks the repository both wrote, reading all its data, and a subset"
"$RESTIC_TOOL" check "$REPO" --read-data || fail "volback check --read-data refused the repository"
out=$("$RESTIC_TOOL" check "$REPO" --read-data-subset 50%) || fail "volback check --read-data-subset 50% failed"
echo "subset: $out"

step "a flipped byte in a data pack (in a copy): volback's check passes the structure, --read-data names the pack"
cp -a "$REPO" "$T/damaged"
pack=$(find "$T/damaged/data" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-) # a data pack: the largest
chmod u+w "$pack"
byte=$(od -An -tu1 -j 100 -N 1 "$pack" | tr -d ' ')
# shellcheck disable=SC2059 # the format is the octal escape of the flipped byte
printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$pack" bs=1 seek=100 conv=notrunc status=none
"$RESTIC_TOOL" check "$T/damaged" >/dev/null || fail "the structure check failed on a same-size pack"
out=$("$RESTIC_TOOL" check "$T/damaged" --read-data) && fail "volback check --read-data passed a damaged pack"
grep -q "^error: pack $(basename "$pack")" <<<"$out" || fail "the damaged pack is not named: $out"

step "volback writes into a repository restic created, deduplicating against restic's blobs"
REPO2=$T/restic-repo
rr "$REPO2" init || fail "restic init failed"
restic --no-cache -q -r "$REPO2" backup --host restic-host "$SRC" || fail "restic backup failed"
"$RESTIC_TOOL" check "$REPO2" --read-data || fail "volback check --read-data refused restic's repository"
"$RESTIC_TOOL" cat "$REPO2" latest >"$T/cat.txt" || fail "volback cannot read restic's snapshot"
read_files=0
while IFS= read -r -d '' f; do
  line="file $(sha256sum <"$f" | cut -d' ' -f1) ${f#/}"
  grep -qxF -- "$line" "$T/cat.txt" || fail "volback read $f differently from restic's snapshot"
  read_files=$((read_files + 1))
done < <(find "$SRC" -type f -print0)
assert_eq "$read_files" "$(grep -c '^file ' "$T/cat.txt")" "files in restic's snapshot as volback reads it"
grep -q "^symlink - ${SRC#/}/link-to-small\$" "$T/cat.txt" || fail "the symlink is missing from volback's listing"
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

step "a version 1 repository restic created: volback writes uncompressed blobs and raw JSON files"
rr "$T/v1" init --repository-version 1 || fail "restic init --repository-version 1 failed"
"$RESTIC_TOOL" backup "$T/v1" volback-host "$SRC" || fail "volback's backup into a version 1 repository failed"
rr "$T/v1" check --read-data || fail "restic check --read-data refused volback's snapshot in a version 1 repository"
rr "$T/v1" restore latest --target "$T/restored-v1" || fail "restic restore from the version 1 repository failed"
compare_trees "$SRC" "$T/restored-v1$SRC"
