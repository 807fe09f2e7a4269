# shellcheck shell=bash
# Pruning with `volback prune --at`: an "old" and a "new" backup 2 s apart; at T = old's
# modification time + 7 days + 1 s, retention 7 (no leeway) deletes the old one and keeps
# the new; retention 0 refuses to delete everything; BACKUP_SKIP_BACKENDS_FROM_PRUNE naming
# the backend (in another case) prunes only the local copy.
printf 'data\n' >"$SRC/file.txt"
COMMON=("${BACKEND_ENV[@]}" BACKUP_PRUNING_LEEWAY=0s BACKUP_PRUNING_PREFIX=backup-)

run_volback "${COMMON[@]}" BACKUP_FILENAME=backup-old.tar.gz
assert_success
old_modified=$(remote_mtime backup-old.tar.gz)
sleep 2
run_volback "${COMMON[@]}" BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(remote_keys)" "objects before pruning"
at=$(date -u -d "$old_modified + 7 days + 1 second" +%Y-%m-%dT%H:%M:%SZ)
echo "old modified $old_modified, pruning at $at"
touch -d "$old_modified" "$ARCHIVE/backup-old.tar.gz"

step "retention 0 refuses to delete everything"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=0 -- prune --at "$at"
assert_exit 0
assert_contains 'would delete all 2 existing backups'
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(remote_keys)" "objects after retention 0"

step "skipping the backend prunes only the local copy"
skip_name=$(echo "$BACKEND" | tr 'A-Z' 'a-z')
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 BACKUP_SKIP_BACKENDS_FROM_PRUNE="s3,$skip_name" -- prune --at "$at"
assert_exit 0
assert_contains "Skipping pruning for backend \`$BACKEND\`."
assert_no_file "$ARCHIVE/backup-old.tar.gz"
assert_file "$ARCHIVE/backup-new.tar.gz"
assert_eq "backup-new.tar.gz
backup-old.tar.gz" "$(remote_keys)" "objects after skipping the backend"

step "retention 7 at T deletes the old object and keeps the new"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 -- prune --at "$at"
assert_exit 0
assert_contains 'Pruned 1 out of 2 backups'
grep -qx "$BACKEND"$'\tbackup-old.tar.gz' "$VOLBACK_OUT" || fail "prune output: $(cat "$VOLBACK_OUT")"
assert_eq "backup-new.tar.gz" "$(remote_keys)" "objects after pruning"

step "a backup run with retention 7 prunes nothing more"
run_volback "${COMMON[@]}" BACKUP_RETENTION_DAYS=7 BACKUP_FILENAME=backup-third.tar.gz
assert_success
assert_contains 'None of 2 existing backups were pruned.'
echo "PASS"
