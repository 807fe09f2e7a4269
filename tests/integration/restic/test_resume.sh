#!/usr/bin/env bash
# A backup killed mid-upload: SIGKILL once a few packs are stored, before any index file or
# snapshot. Its lock is stale (the process is gone), so `restic unlock` removes it, and
# restic 0.14's check accepts the repository (the stored packs are only "not referenced in
# any index"); the next backup reuses every complete pack the killed one left
# (their headers read, nothing uploaded again for their blobs) and writes a snapshot restic
# checks with --read-data and restores unchanged.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=restic_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restic_lib.sh"

# stored_packs REPO — how many complete packs the repository holds (partial uploads have
# other names).
stored_packs() {
  find "$1/data" -type f -regextype egrep -regex '.*/[0-9a-f]{64}' 2>/dev/null | wc -l
}

for i in $(seq 1 24); do
  make_random_file "$SRC/part-$i.bin" $((8 << 20))
done
REPO=$T/repo
"$RESTIC_TOOL" init "$REPO" || fail "volback-restic-tool init failed"

step "a backup killed once three packs are stored"
"$RESTIC_TOOL" backup "$REPO" volback-host "$SRC" >"$T/killed.out" 2>&1 &
pid=$!
for _ in $(seq 1 3000); do
  (($(stored_packs "$REPO") >= 3)) && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null || fail "the backup ended before it was killed: $(cat "$T/killed.out")"
wait "$pid" 2>/dev/null || true
left=$(stored_packs "$REPO")
echo "packs stored by the killed backup: $left"
((left >= 3)) || fail "expected at least 3 stored packs, found $left"
assert_eq 0 "$(find "$REPO/snapshots" -type f 2>/dev/null | wc -l)" "snapshots after the kill"

step "restic unlock removes the killed backup's lock (its process is gone); check accepts the rest"
assert_eq 1 "$(find "$REPO/locks" -type f | wc -l)" "locks left by the killed backup"
rr "$REPO" unlock || fail "restic unlock failed"
assert_eq 0 "$(find "$REPO/locks" -type f | wc -l)" "locks after restic unlock"
restic --no-cache -r "$REPO" check >"$T/check-killed.out" 2>&1 || {
  cat "$T/check-killed.out"
  fail "restic check refused the repository a killed backup left"
}
cat "$T/check-killed.out"

step "the next backup reuses every stored pack"
out=$("$RESTIC_TOOL" backup "$REPO" volback-host "$SRC") || fail "the backup after the kill failed"
echo "$out"
assert_eq "$left" "$(tool_field "$out" packs_reused)" "packs reused"
full=$(du -sb "$SRC" | cut -f1)
stored=$(tool_field "$out" bytes_stored)
# The reused packs hold at least 3 x 16 MiB of the data: the run stores that much less.
((stored < full - (40 << 20))) || fail "stored $stored bytes of $full: the stored packs were uploaded again"

step "restic checks every byte and restores the tree"
rr "$REPO" check --read-data || fail "restic check --read-data failed after the resumed backup"
rr "$REPO" restore latest --target "$T/restored" || fail "restic restore failed"
compare_trees "$SRC" "$T/restored$SRC"
echo "PASS"
