#!/usr/bin/env bash
# The check before pruning: a backup that shrank below BACKUP_PRUNE_MIN_RATIO (default 0.5)
# of the previous one prunes nothing, exits 3 and says why with both sizes; the same run with
# the ratio at 0 prunes as offen's rule says. With BACKUP_VERIFY_BEFORE_PRUNE the new backup is
# verified in full before pruning (a failing verification is covered by backup_job_test).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

dir=$T/archive
COMMON=(BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=7 BACKUP_PRUNING_PREFIX=backup- BACKUP_COMPRESSION=none)

mkdir -p "$SRC/volume"
make_random_file "$SRC/volume/data.bin" $((1024 * 1024))
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=-1 BACKUP_FILENAME=backup-old.tar
assert_success
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=-1 BACKUP_FILENAME=backup-full.tar
assert_success
touch -d '14 days ago' "$dir/backup-old.tar"
touch -d '10 days ago' "$dir/backup-full.tar"

step "the source lost most of its data: nothing is pruned, exit 3, both sizes named"
make_random_file "$SRC/volume/data.bin" $((64 * 1024))
run_volback "${COMMON[@]}" BACKUP_FILENAME=backup-small.tar
assert_exit 3
assert_contains "Not pruning old backups: the new backup backup-small.tar has"
assert_contains "less than BACKUP_PRUNE_MIN_RATIO=0.5 times the previous backup's $(stat -c %s "$dir/backup-full.tar") bytes"
assert_file "$dir/backup-old.tar"
assert_file "$dir/backup-full.tar"
assert_file "$dir/backup-small.tar"

step "BACKUP_PRUNE_MIN_RATIO=0 turns the size check off: offen's rule prunes"
run_volback "${COMMON[@]}" BACKUP_PRUNE_MIN_RATIO=0 BACKUP_FILENAME=backup-small2.tar
assert_success
assert_no_file "$dir/backup-old.tar"
assert_no_file "$dir/backup-full.tar"
assert_contains "Pruned 2 out of 4 backups"

step "BACKUP_VERIFY_BEFORE_PRUNE: the new backup is read back and checked, then pruning goes on"
touch -d '14 days ago' "$dir/backup-small.tar"
run_volback "${COMMON[@]}" BACKUP_PRUNE_MIN_RATIO=0 BACKUP_VERIFY_BEFORE_PRUNE=true BACKUP_FILENAME=backup-verified.tar
assert_success
assert_contains "Verifying the new backup before pruning"
assert_no_file "$dir/backup-small.tar"
assert_file "$dir/backup-verified.tar"

step "an invalid ratio is a configuration error before anything runs"
run_volback "${COMMON[@]}" BACKUP_PRUNE_MIN_RATIO=2
assert_exit 2
assert_contains "BACKUP_PRUNE_MIN_RATIO"
echo "PASS"
