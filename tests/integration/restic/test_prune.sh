#!/usr/bin/env bash
# volback's forget and prune leave a repository restic 0.14 accepts: three snapshots of a
# changing tree (files added, rewritten and deleted between them), the oldest two
# forgotten, then pruned: `restic check --read-data` passes, `restic restore latest` gives
# the last tree back, the repository shrank and restic lists one snapshot; a dry run
# changes nothing and a second prune finds nothing to do. And volback's prune after
# restic's own `forget --prune` still leaves a repository restic checks.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=restic_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restic_lib.sh"
require_tool setfattr attr

# snapshot_id OUTPUT — the id in volback-restic-tool backup's figures line.
snapshot_id() {
  sed -n 's/^snapshot \([0-9a-f]\{64\}\) .*/\1/p' <<<"$1"
}

# repo_listing REPO — the repository's files other than locks, with their sizes, sorted.
repo_listing() {
  (cd "$1" && find . -type f ! -path './locks/*' -printf '%p %s\n' | LC_ALL=C sort)
}

# snapshot_count REPO — how many snapshots restic lists.
snapshot_count() {
  rr "$1" snapshots --json | grep -o '"short_id"' | wc -l
}

make_restic_tree "$SRC"
REPO=$T/repo
"$RESTIC_TOOL" init "$REPO" || fail "volback-restic-tool init failed"

step "three snapshots of a changing tree"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "first backup failed"
echo "first: $out"
first=$(snapshot_id "$out")
rm "$SRC/sub/big.bin" "$SRC/sub/deeper/big-copy.bin"
make_random_file "$SRC/new-1.bin" $((2 << 20))
printf 'changed\n' >>"$SRC/small.txt"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "second backup failed"
echo "second: $out"
second=$(snapshot_id "$out")
rm "$SRC/new-1.bin" "$SRC/zeros.bin"
make_random_file "$SRC/sub/new-2.bin" $((1 << 20))
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "third backup failed"
echo "third: $out"
[[ -n $first && -n $second ]] || fail "no snapshot ids in the backup figures"
assert_eq 3 "$(snapshot_count "$REPO")" "snapshots before forget"

step "forget the oldest two; a dry run changes nothing"
"$RESTIC_TOOL" forget "$REPO" "$first" "$second" || fail "volback-restic-tool forget failed"
assert_eq 1 "$(snapshot_count "$REPO")" "snapshots after forget"
before=$(repo_listing "$REPO")
size_before=$(du -sb "$REPO" | cut -f1)
dry=$("$RESTIC_TOOL" prune "$REPO" --dry-run) || fail "prune --dry-run failed"
echo "dry run: $dry"
assert_eq "$before" "$(repo_listing "$REPO")" "the repository after a dry run"

step "prune: restic checks every byte, restores the last tree, and the repository shrank"
out=$("$RESTIC_TOOL" prune "$REPO") || fail "volback-restic-tool prune failed"
echo "prune: $out"
for field in packs_kept packs_deleted packs_repacked blobs_used blobs_removed; do
  assert_eq "$(tool_field "$dry" "$field")" "$(tool_field "$out" "$field")" "$field of the dry run and the prune"
done
[[ $(tool_field "$out" packs_deleted) -gt 0 ]] || fail "no pack deleted: $out"
[[ $(tool_field "$out" packs_repacked) -gt 0 ]] || fail "no pack repacked: $out"
[[ $(tool_field "$out" bytes_after) -lt $(tool_field "$out" bytes_before) ]] || fail "data/ did not shrink: $out"
echo "bytes_after: estimated $(tool_field "$dry" bytes_after), after $(tool_field "$out" bytes_after)"
assert_eq "$(find "$REPO/data" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')" \
  "$(tool_field "$out" bytes_after)" "bytes of the files in data/"
size_after=$(du -sb "$REPO" | cut -f1)
echo "repository: $size_before -> $size_after bytes"
[[ $size_after -lt $((size_before - (20 << 20))) ]] || fail "the repository did not shrink by the deleted 20 MiB"
assert_empty_dir "$REPO/locks"
rr "$REPO" check --read-data || fail "restic check --read-data after volback's prune"
assert_eq 1 "$(snapshot_count "$REPO")" "snapshots after prune"
rr "$REPO" restore latest --target "$T/restored" || fail "restic restore after prune"
compare_trees "$SRC" "$T/restored$SRC"

step "a second prune finds nothing to do"
before=$(repo_listing "$REPO")
out=$("$RESTIC_TOOL" prune "$REPO") || fail "second prune failed"
echo "again: $out"
assert_eq 0 "$(tool_field "$out" packs_deleted)" "packs deleted by a second prune"
assert_eq 0 "$(tool_field "$out" packs_repacked)" "packs repacked by a second prune"
assert_eq "$before" "$(repo_listing "$REPO")" "the repository after a second prune"

step "restic's forget --prune on volback's repository, then volback's prune"
REPO2=$T/repo2
"$RESTIC_TOOL" init "$REPO2" || fail "volback-restic-tool init of the second repository failed"
"$RESTIC_TOOL" backup "$REPO2" volback-host "$SRC" >/dev/null || fail "backup into the second repository"
rm "$SRC/sub/new-2.bin"
make_random_file "$SRC/new-3.bin" $((1 << 20))
"$RESTIC_TOOL" backup "$REPO2" volback-host "$SRC" >/dev/null || fail "second backup into the second repository"
rr "$REPO2" forget --keep-last 1 --prune >/dev/null || fail "restic forget --prune on volback's repository"
out=$("$RESTIC_TOOL" prune "$REPO2") || fail "volback's prune after restic's"
echo "after restic's prune: $out"
rr "$REPO2" check --read-data || fail "restic check --read-data after restic's and volback's prune"
assert_eq 1 "$(snapshot_count "$REPO2")" "snapshots of the second repository"
rr "$REPO2" restore latest --target "$T/restored2" || fail "restic restore of the second repository"
compare_trees "$SRC" "$T/restored2$SRC"
