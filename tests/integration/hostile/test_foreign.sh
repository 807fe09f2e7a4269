#!/usr/bin/env bash
# Foreign archives (no VOLBACK mark, no manifest), benign: one made by GNU tar, one by
# make_archive.py in PAX format as Go's archive/tar (offen) writes them. verify: exit 0,
# "readable, no manifest". restore --to and --in-place without --no-verify: exit 2 naming
# --no-verify, nothing changed. With --no-verify: exit 0, the volume restored exactly as the
# source tree (GNU tar) or as GNU tar extracts the archive, nothing else changed.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

# foreign_checks CASE EXPECTED_VOL — the runs on $ARCHIVE/$NAME; EXPECTED_VOL is what the
# volume must look like after a restore with --no-verify.
foreign_checks() {
  local name=$1 expected=$2 mode
  reset_world
  snapshot
  run_begin "$name" verify readable
  vrun -- verify "$NAME"
  expect_exit 0
  expect_stdout "readable, no manifest"
  expect_world_unchanged
  run_end

  for mode in to inplace; do
    local -a where=(--to "$TARGET")
    local vol=$TARGET/vol
    if [[ $mode == inplace ]]; then
      where=(--in-place)
      vol=$SRC/vol
    fi
    reset_world
    snapshot
    run_begin "$name" "restore ${where[0]}" "$KW_NO_VERIFY"
    vrun -- restore "$NAME" "${where[@]}" --overwrite
    expect_exit 2
    expect_keyword "$KW_NO_VERIFY"
    expect_world_unchanged
    run_end

    reset_world
    snapshot --exclude "${vol#"$W"/}"
    run_begin "$name" "restore ${where[0]} --no-verify" restored
    vrun -- restore "$NAME" "${where[@]}" --overwrite --no-verify
    expect_exit 0
    expect_world_unchanged
    if ! diff <(tree_listing "$expected") <(tree_listing "$vol") >"$T/restored.diff"; then
      problem "the restored volume differs from the expected tree"
      head -n 20 "$T/restored.diff"
    fi
    run_end
  done
}

step "a GNU tar archive"
src=$T/gnu
mkdir -p "$src/backup/vol/sub"
printf 'made by GNU tar\n' >"$src/backup/vol/a.txt"
printf 'nested\n' >"$src/backup/vol/sub/b.txt"
ln -s a.txt "$src/backup/vol/link"
chown 1000:1000 "$src/backup/vol/sub/b.txt"
find "$src" -depth -exec touch -h -d '2021-03-04 05:06:07' {} +
rm -f "$ARCHIVE"/*
tar -czf "$ARCHIVE/$NAME" -C "$src" backup
foreign_checks "GNU tar archive" "$src/backup/vol"

step "a PAX archive without the mark, as Go's archive/tar writes"
make_archive <<EOF
{"mark": false, "manifest": false, "volumes": ["vol"], "entries": [
  {"path": "backup/vol/a.txt", "data": "foreign PAX\n", "mtime_nsec": 5},
  {"path": "backup/vol/sub", "type": "dir", "mode": "0750"},
  {"path": "backup/vol/sub/b.txt", "random": 5000, "uid": 1000, "gid": 1000}]}
EOF
rm -rf "$T/expected"
extract_archive "$ARCHIVE/$NAME" "$T/expected"
foreign_checks "PAX archive, no mark" "$T/expected/backup/vol"

hostile_finish
