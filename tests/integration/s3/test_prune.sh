#!/usr/bin/env bash
# Test 6: pruning on S3 with `volback prune --at`. An "old" and a "new" backup 2 s apart;
# at T = old LastModified + 7 days + 1 s, retention 7 with no leeway deletes the old one and
# keeps the new; --dry-run deletes nothing; retention 0 refuses and keeps both;
# BACKUP_SKIP_BACKENDS_FROM_PRUNE=s3 prunes only the local copy.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

printf 'data\n' >"$SRC/file.txt"
COMMON=("${S3_ENV[@]}" BACKUP_PRUNING_LEEWAY=0s BACKUP_PRUNING_PREFIX=backup-)

run_volback "${COMMON[@]}" BACKUP_FILENAME=backup-old.tar.gz
assert_success
old_modified=$(aws s3api head-object --bucket "$BUCKET" --key backup-old.tar.gz --query LastModified --output text)
# Swift's LastModified has whole seconds; wait until the next backup's is surely later.
sleep 2
run_volback "${COMMON[@]}" BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(s3_keys)" "keys before pruning"

at=$(date -u -d "$old_modified + 7 days + 1 second" +%Y-%m-%dT%H:%M:%SZ)
echo "old LastModified $old_modified, pruning at $at"
# The local copies get the same times as the objects, so both backends decide alike.
touch -d "$old_modified" "$ARCHIVE/backup-old.tar.gz"

step "dry run"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 -- prune --dry-run --at "$at"
assert_exit 0
grep -qx $'S3\tbackup-old.tar.gz' "$VOLBACK_OUT" || fail "dry run does not list the old object: $(cat "$VOLBACK_OUT")"
! grep -qx $'S3\tbackup-new.tar.gz' "$VOLBACK_OUT" || fail "dry run would delete the new backup"
grep -qx $'S3\tbackup-new.tar.gz\tkept by younger than the deadline' "$VOLBACK_OUT" ||
  fail "dry run does not say why the new backup stays: $(cat "$VOLBACK_OUT")"
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(s3_keys)" "keys after the dry run"

step "retention 0 refuses to delete everything"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=0 -- prune --at "$at"
assert_exit 0
assert_contains 'would delete all 2 existing backups'
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(s3_keys)" "keys after retention 0"

step "skipping S3 prunes only the local copy"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 BACKUP_SKIP_BACKENDS_FROM_PRUNE=s3 -- prune --at "$at"
assert_exit 0
assert_contains 'Skipping pruning for backend `S3`.'
assert_no_file "$ARCHIVE/backup-old.tar.gz"
assert_file "$ARCHIVE/backup-new.tar.gz"
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(s3_keys)" "keys after skipping S3"

step "retention 7 at T deletes the old object and keeps the new"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 -- prune --at "$at"
assert_exit 0
assert_contains 'Pruned 1 out of 2 backups'
grep -qx $'S3\tbackup-old.tar.gz' "$VOLBACK_OUT" || fail "prune output: $(cat "$VOLBACK_OUT")"
assert_eq "backup-new.tar.gz" "$(s3_keys)" "keys after pruning"

step "one second earlier, nothing is old enough"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 BACKUP_FILENAME=backup-x.tar.gz -- prune --at "$at"
assert_exit 0
assert_contains 'None of 1 existing backups were pruned.'
echo "PASS"
