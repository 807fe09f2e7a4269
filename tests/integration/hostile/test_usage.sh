#!/usr/bin/env bash
# Usage errors, refused with exit 2 before anything changes (the world is checked): restore
# --to an existing regular file; --volume naming a volume the backup does not have (--to, and in
# place where BACKUP_SOURCES has a directory of that name); --volume ../x and --volume ''.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

make_archive <<EOF
{"volumes": ["vol"], "entries": [{"path": "backup/vol/restored.txt", "data": "from the good backup\n"}]}
EOF
# In place, a directory for every volume named below exists, so that only the backup lacks it.
make_pristine_world
mkdir "$PRISTINE/backup/nosuch"
touch -d '2020-02-02 02:02:02.123456789' "$PRISTINE/backup/nosuch" "$PRISTINE/backup"

# usage CASE MODE KEYWORD ARGS... — volback ARGS exits 2 with KEYWORD and changes nothing.
usage() {
  local name=$1 mode=$2 kw=$3
  shift 3
  reset_world
  snapshot
  run_begin "$name" "$mode" "$kw"
  vrun -- "$@"
  expect_exit 2
  expect_keyword "$kw"
  expect_world_unchanged
  run_end
}

usage "--to an existing regular file" "restore --to" "$KW_NOT_A_DIR" \
  restore "$NAME" --to "$W/sibling.txt" --overwrite
usage "--volume nosuch (not in the backup)" "restore --to" nosuch \
  restore "$NAME" --to "$TARGET" --overwrite --volume nosuch
usage "--volume nosuch (not in the backup)" "restore --in-place" nosuch \
  restore "$NAME" --in-place --overwrite --volume nosuch
usage "--volume ../x" "restore --to" "$KW_BAD_VOLUME" \
  restore "$NAME" --to "$TARGET" --overwrite --volume ../x
usage "--volume ../x" "restore --in-place" "$KW_BAD_VOLUME" \
  restore "$NAME" --in-place --overwrite --volume ../x
usage "--volume ''" "restore --to" "$KW_BAD_VOLUME" \
  restore "$NAME" --to "$TARGET" --overwrite --volume ''
usage "--volume ''" "restore --in-place" "$KW_BAD_VOLUME" \
  restore "$NAME" --in-place --overwrite --volume ''

hostile_finish
