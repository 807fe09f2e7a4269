#!/usr/bin/env bash
# Pruning follows offen's rule: files in BACKUP_ARCHIVE starting with BACKUP_PRUNING_PREFIX and
# older than now - BACKUP_RETENTION_DAYS + BACKUP_PRUNING_LEEWAY are deleted, unless that would
# delete every candidate.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

printf 'data\n' >"$SRC/file.txt"

old_backup() { # old_backup DIR NAME AGE
  mkdir -p "$1"
  printf 'old backup\n' >"$1/$2"
  touch -d "$3" "$1/$2"
}

step "retention 7 days: a 14-day-old backup is pruned"
dir=$T/archive-7
old_backup "$dir" backup-old.tar.gz '14 days ago'
old_backup "$dir" backup-recent.tar.gz '2 days ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=7 BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_no_file "$dir/backup-old.tar.gz"
assert_file "$dir/backup-recent.tar.gz"
assert_file "$dir/backup-new.tar.gz"
assert_contains "Pruned 1 out of 3 backups"

step "the same with a single previous backup (offen's wording: Pruned 1 out of 2 backups)"
dir=$T/archive-7b
old_backup "$dir" backup-old.tar.gz '14 days ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=7
assert_success
assert_no_file "$dir/backup-old.tar.gz"
new=$(single_archive "$dir")
[[ ${new##*/} == backup-*.tar.gz ]] || fail "unexpected new archive ${new##*/}"
assert_contains "Pruned 1 out of 2 backups"

step "retention 0: every backup would go, so none is deleted"
dir=$T/archive-0
old_backup "$dir" backup-old.tar.gz '14 days ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=0 BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_file "$dir/backup-old.tar.gz"
assert_file "$dir/backup-new.tar.gz"
assert_contains "The current configuration would delete all 2 existing backups."
assert_contains "Refusing to do so, please check your configuration."

step "nothing old enough: none pruned"
dir=$T/archive-none
old_backup "$dir" backup-recent.tar.gz '1 day ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=7 BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_file "$dir/backup-recent.tar.gz"
assert_contains "None of 2 existing backups were pruned."

step "the prefix limits the candidates"
dir=$T/archive-prefix
old_backup "$dir" backup-old.tar.gz '14 days ago'
old_backup "$dir" unrelated.txt '30 days ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_DAYS=7 BACKUP_PRUNING_PREFIX=backup- \
  BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_no_file "$dir/backup-old.tar.gz"
assert_file "$dir/unrelated.txt"
assert_contains "Pruned 1 out of 2 backups"

step "default retention (-1): nothing is pruned or mentioned"
dir=$T/archive-default
old_backup "$dir" backup-old.tar.gz '400 days ago'
run_volback BACKUP_ARCHIVE="$dir" BACKUP_FILENAME=backup-new.tar.gz
assert_success
assert_file "$dir/backup-old.tar.gz"
assert_not_contains "Pruned"
assert_not_contains "existing backups"
echo "ok"
