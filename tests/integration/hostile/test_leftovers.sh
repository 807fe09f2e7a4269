#!/usr/bin/env bash
# Leftovers planted in a volume by someone who can write inside it, acted on by the next backup
# and by the next in-place restore (whose repair of interrupted restores runs first):
#   1. a symlink .volback-old-abc123 -> <world>/outside (with files) next to an empty directory
#      .volback-restore-abc123: `volback backup` (exit 0 or 3) moves and changes nothing outside
#      the volume and does not archive the outside files; `volback restore <good> --in-place
#      --overwrite` changes nothing outside the volume;
#   2. a real directory .volback-old-abc123 with files, which volback did not create (no record
#      in VOLBACK_STATE_DIR): it is the volume's own content. backup leaves it exactly as it is
#      (it may warn) and archives it; the repair that `restore --in-place --overwrite` runs first
#      leaves it alone, and the restore then replaces it with the rest of the volume's content,
#      as --overwrite says. Neither changes anything outside the volume.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

make_archive <<EOF
{"volumes": ["vol"], "entries": [{"path": "backup/vol/restored.txt", "data": "from the good backup\n"}]}
EOF
PLANTED=$SRC/vol/.volback-old-abc123

plant() {
  reset_world
  case $1 in
    symlink)
      ln -s "$W/outside" "$PLANTED"
      mkdir "$SRC/vol/.volback-restore-abc123"
      ;;
    dir)
      mkdir -p "$PLANTED/sub"
      printf 'planted by a user\n' >"$PLANTED/planted.txt"
      printf 'nested\n' >"$PLANTED/sub/nested.txt"
      chown -R 1234:1234 "$PLANTED"
      touch -h -d '2021-01-01 00:00:00' "$PLANTED/sub" "$PLANTED"
      ;;
  esac
  snapshot --exclude backup/vol
  tree_listing "$PLANTED" >"$T/planted.before" 2>/dev/null || true
}

# planted_unchanged — the planted real directory is exactly as it was.
planted_unchanged() {
  tree_listing "$PLANTED" >"$T/planted.after" 2>/dev/null || true
  cmp -s "$T/planted.before" "$T/planted.after" ||
    problem "the planted $(basename "$PLANTED") changed: $(diff "$T/planted.before" "$T/planted.after" | grep -m1 '^[<>]' | cut -c1-80)"
}

# outside_not_archived — the newest backup holds none of the outside files.
outside_not_archived() {
  local new
  new=$(find "$ARCHIVE" -maxdepth 1 -type f -name 'backup-*' ! -name "$NAME" -printf '%f\n' | sort | tail -n 1)
  if [[ -z $new ]]; then
    problem "the backup wrote no archive"
    return
  fi
  tar -tzf "$ARCHIVE/$new" --warning=no-unknown-keyword >"$T/backup.names" 2>/dev/null ||
    problem "tar -tzf cannot list $new"
  if grep -e 'outside-secret.txt' -e 'outside-nested.txt' "$T/backup.names" >"$T/leaked"; then
    problem "outside files in the archive: $(paste -sd' ' "$T/leaked" | cut -c1-100)"
  fi
  rm -f "$ARCHIVE/$new"
}

for kind in symlink dir; do
  case $kind in
    symlink) what="symlink .volback-old-<id> -> <world>/outside, empty .volback-restore-<id>" ;;
    dir) what="planted real directory .volback-old-<id> (no state record)" ;;
  esac

  plant "$kind"
  run_begin "$what" backup interrupted
  vrun -- backup
  expect_exit 0 3
  expect_world_unchanged
  outside_not_archived
  [[ $kind == dir ]] && planted_unchanged
  run_end

  plant "$kind"
  run_begin "$what" "restore <good> --in-place" interrupted
  vrun -- restore "$NAME" --in-place --overwrite
  expect_exit 0 1 2
  expect_world_unchanged
  if [[ $kind == dir ]]; then
    # The repair ran first and left it alone (no "Rolled back"/"Deleted the old content"); the
    # restore replaced the volume's content, the planted directory with it.
    ! grep -qE 'Rolled back a restore|Deleted the old content|Completed a restore' "$VOLBACK_LOG" ||
      problem "the repair of interrupted restores acted on the planted directory"
    [[ ! -e $PLANTED && -f $SRC/vol/restored.txt ]] ||
      problem "--overwrite did not replace the volume's content with the backup's"
  fi
  run_end
done

hostile_finish
