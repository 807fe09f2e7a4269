#!/usr/bin/env bash
# Restoring onto a file system without enough space: a valid marked archive (verify: intact)
# with a 16 MiB file of random data, restored --to a 4 MiB tmpfs holding the old content
# (--overwrite), and in place into a volume that is a 4 MiB tmpfs mount: exit 1 naming the lack
# of space, "nothing was changed", the world (the tmpfs content and its root's mtime included)
# exactly as before. The tmpfs mounts are removed on exit.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

MOUNTED=()
unmount_all() {
  local m
  for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  MOUNTED=()
}
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'unmount_all; '"${previous_exit_trap:-true}" EXIT

# small_fs REL — a fresh world whose REL (relative to $W) is a 4 MiB tmpfs with REL's pristine
# content, owner, mode and times.
small_fs() {
  unmount_all
  reset_world
  mount -t tmpfs -o size=4m,mode=0755 volback-hostile "$W/$1" || fail "cannot mount a tmpfs on $W/$1"
  MOUNTED+=("$W/$1")
  cp -a "$PRISTINE/$1/." "$W/$1/"
  chown --reference="$PRISTINE/$1" "$W/$1"
  chmod --reference="$PRISTINE/$1" "$W/$1"
  touch -h -r "$PRISTINE/$1" "$W/$1"
}

make_archive <<EOF
{"volumes": ["vol"], "entries": [{"path": "backup/vol/small.txt", "data": "small\n"},
                                 {"path": "backup/vol/big.bin", "random": $((16 << 20))}]}
EOF

reset_world
snapshot
run_begin "16 MiB file (the archive itself)" verify intact
vrun -- verify "$NAME"
expect_exit 0
expect_stdout "$NAME on Local: intact"
run_end

# The 4 MiB tmpfs is the --to target (its volume directory vol lives on it).
small_fs target
snapshot
run_begin "16 MiB file onto a 4 MiB tmpfs" "restore --to" "$KW_SPACE"
vrun -- restore "$NAME" --to "$TARGET" --overwrite
expect_exit 1
expect_keyword "$KW_SPACE"
expect_keyword "$KW_NOTHING_CHANGED"
expect_world_unchanged
run_end

# The volume itself is the 4 MiB tmpfs, as a Docker volume is a mount.
small_fs backup/vol
snapshot
run_begin "16 MiB file onto a 4 MiB tmpfs" "restore --in-place" "$KW_SPACE"
vrun -- restore "$NAME" --in-place --overwrite
expect_exit 1
expect_keyword "$KW_SPACE"
expect_keyword "$KW_NOTHING_CHANGED"
expect_world_unchanged
run_end
unmount_all

hostile_finish
