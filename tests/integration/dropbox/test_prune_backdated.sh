#!/usr/bin/env bash
# offen's own dropbox test, against the emulator: a backup whose server_modified lies 8 days
# back (the emulator's file mtime) is pruned by the next backup run with retention 7
# ("Pruned 1 out of 2 backups as they were older ..."), and retention 0 refuses to delete
# every backup ("Refusing to do so, please check your configuration.").
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=dropbox_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/dropbox_lib.sh"
printf 'data\n' >"$SRC/file.txt"
rmdir "$ARCHIVE"

run_volback "${BACKEND_ENV[@]}" BACKUP_FILENAME=backup-first.tar.gz
assert_success
touch -d '8 days ago' "$REMOTE_DIR/backup-first.tar.gz"

step "retention 7 prunes the backup of 8 days ago"
run_volback "${BACKEND_ENV[@]}" BACKUP_FILENAME=backup-second.tar.gz BACKUP_RETENTION_DAYS=7
assert_success
assert_contains 'Pruned 1 out of 2 backups as they were older than the given deadline'
assert_eq "backup-second.tar.gz" "$(remote_keys)" "backups after pruning"

step "retention 0 refuses to delete every backup"
run_volback "${BACKEND_ENV[@]}" BACKUP_FILENAME=backup-third.tar.gz BACKUP_RETENTION_DAYS=0
assert_success
assert_contains 'Refusing to do so, please check your configuration'
assert_eq "backup-second.tar.gz
backup-third.tar.gz" "$(remote_keys)" "backups after retention 0"
echo "PASS"
