#!/usr/bin/env bash
# offen's own googledrive test, against the emulator: a backup whose createdTime is 14 days
# back (set through the emulator's control endpoint) and a new one. Retention 0 refuses to
# delete them all ("Refusing to do so, please check your configuration"); retention 7 prunes
# the old one ("Pruned 1 out of 2 backups as they were older"). The second run writes the
# same name as the first: the upload replaces that file, so there are still two.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"

mkdir -p "$SRC/app"
printf 'data\n' >"$SRC/app/file.txt"
rmdir "$ARCHIVE"
COMMON=("${BACKEND_ENV[@]}" BACKUP_PRUNING_LEEWAY=5s BACKUP_PRUNING_PREFIX=test)

step "an old backup, 14 days back"
run_volback "${COMMON[@]}" BACKUP_FILENAME=test-old.tar.gz
assert_success
gd_control backdate "{\"id\": \"$(gd_id test-old.tar.gz)\", \"createdTime\": \"$(date -u -d '14 days ago' +%Y-%m-%dT%H:%M:%S.000Z)\"}" >/dev/null

step "retention 0 refuses to delete every backup"
run_volback "${COMMON[@]}" BACKUP_FILENAME=test-new.tar.gz BACKUP_RETENTION_DAYS=0
assert_success
assert_contains 'Refusing to do so, please check your configuration'
assert_eq "test-new.tar.gz
test-old.tar.gz" "$(remote_keys)" "files after retention 0"

step "retention 7 prunes the old one; the new upload replaced the file of its name"
first_id=$(gd_id test-new.tar.gz)
run_volback "${COMMON[@]}" BACKUP_FILENAME=test-new.tar.gz BACKUP_RETENTION_DAYS=7
assert_success
assert_contains 'Pruned 1 out of 2 backups as they were older'
assert_eq "test-new.tar.gz" "$(remote_keys)" "files after retention 7"
[[ $(gd_id test-new.tar.gz) != "$first_id" ]] || fail "the second upload did not replace the first"
echo "PASS"
