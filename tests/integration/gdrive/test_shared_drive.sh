#!/usr/bin/env bash
# A folder in a shared drive (GOOGLE_DRIVE_TEAM_DRIVE_ID): the backup goes there, `list`
# finds it (corpora=drive, driveId, includeItemsFromAllDrives, supportsAllDrives), verify
# reads it back, and pruning sees it. Without GOOGLE_DRIVE_TEAM_DRIVE_ID the listing does
# not see shared-drive files, as in Drive: `list` shows nothing.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"

DRIVE=0AD${GD_TAG//-/}
gd_control folder "{\"id\": \"$GD_FOLDER\", \"driveId\": \"$DRIVE\"}" >/dev/null
mkdir -p "$SRC/app"
printf 'shared\n' >"$SRC/app/file.txt"
rmdir "$ARCHIVE"

step "backup into the shared drive"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_TEAM_DRIVE_ID="$DRIVE"
assert_success
key=$(remote_keys)
[[ $key == backup-*.tar.gz ]] || fail "unexpected files: $key"

step "list and verify with the drive"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_TEAM_DRIVE_ID="$DRIVE" -- list
assert_exit 0
grep -q "$key" "$VOLBACK_OUT" || fail "list does not show $key: $(cat "$VOLBACK_OUT")"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_TEAM_DRIVE_ID="$DRIVE" -- verify latest
assert_exit 0

step "pruning sees it"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_TEAM_DRIVE_ID="$DRIVE" BACKUP_RETENTION_DAYS=0 -- prune
assert_exit 0
assert_contains 'would delete all 1 existing backups'

step "without the drive id the listing does not see the drive's files"
run_volback "${BACKEND_ENV[@]}" -- list
assert_exit 0
! grep -q "$key" "$VOLBACK_OUT" || fail "a shared-drive file was listed without includeItemsFromAllDrives"
echo "PASS"
