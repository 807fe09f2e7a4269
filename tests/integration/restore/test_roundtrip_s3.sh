#!/usr/bin/env bash
# Scenario 1: volumes holding every kind of entry are backed up to S3, restored with
# `restore --to` from the S3 backend (streamed, no local copy), and compared byte for byte and
# attribute for attribute, numeric ids included. Sparse files stay sparse.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=restore_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restore_lib.sh"
require_root
for tool in getfattr setfattr getfacl setfacl mkfifo; do require_tool "$tool"; done
require_xattr_acl "$T"

step "volumes and a backup to S3 only"
make_volumes "$SRC"
rmdir "$ARCHIVE"  # no local backend: the restore must come from S3
run_volback "${S3_ENV[@]}"
assert_success
name=$(s3_keys)
[[ $name == backup-*.tar.gz ]] || fail "unexpected keys in the bucket: $name"

step "restore --to from S3"
run_volback "${S3_ENV[@]}" BACKUP_ARCHIVE=/nonexistent -- restore latest --backend s3 --to "$T/restored"
assert_exit 0
assert_contains "Restoring backup"
compare_volumes "$SRC" "$T/restored" app db media
assert_no_leftovers "$T/restored"
allocated=$(($(stat -c %b "$T/restored/media/sparse/disk.img") * 512))
((allocated < 8 * 1024 * 1024)) || fail "the restored sparse file allocates $allocated bytes: holes were filled"

step "one volume only"
run_volback "${S3_ENV[@]}" BACKUP_ARCHIVE=/nonexistent -- restore "$name" --volume db --to "$T/only-db"
assert_exit 0
compare_volumes "$SRC" "$T/only-db" db
[[ ! -e $T/only-db/app && ! -e $T/only-db/media ]] || fail "--volume db restored other volumes"
echo "PASS"
