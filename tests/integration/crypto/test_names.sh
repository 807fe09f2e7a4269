#!/usr/bin/env bash
# The encrypted name everywhere offen uses it: .gpg/.age appended to the rendered name, the latest
# symlink points to the encrypted file, pruning deletes old .gpg/.age backups, list shows them
# and `verify latest` / `restore latest` decrypt the newest one.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=crypto_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/crypto_lib.sh"
require_tool gpg gnupg

PASS=names-passphrase
old_backup() { # old_backup NAME AGE
  printf 'old backup\n' >"$ARCHIVE/$1"
  touch -d "$2" "$ARCHIVE/$1"
}

step "latest symlink and pruning with GPG_PASSPHRASE"
old_backup backup-old.tar.gz.gpg '14 days ago'
old_backup backup-older.tar.zst.age '20 days ago'
old_backup backup-recent.tar.gz.gpg '2 days ago'
run_volback GPG_PASSPHRASE="$PASS" BACKUP_RETENTION_DAYS=7 BACKUP_LATEST_SYMLINK=latest.tar.gz.gpg
assert_success
assert_no_file "$ARCHIVE/backup-old.tar.gz.gpg"
assert_no_file "$ARCHIVE/backup-older.tar.zst.age"
assert_file "$ARCHIVE/backup-recent.tar.gz.gpg"
assert_contains "Pruned 2 out of 4 backups"
target=$(readlink "$ARCHIVE/latest.tar.gz.gpg") || fail "latest.tar.gz.gpg is not a symlink"
[[ $target =~ ^backup-.*\.tar\.gz\.gpg$ ]] || fail "latest.tar.gz.gpg points to '$target'"
gpg --batch --quiet --pinentry-mode loopback --passphrase "$PASS" --decrypt \
  --output "$T/latest.tar.gz" "$ARCHIVE/latest.tar.gz.gpg" || fail "gpg cannot decrypt through the symlink"
tar_holds_tree "$T/latest.tar.gz"

step "list shows the encrypted name; verify latest and restore latest decrypt it"
run_volback GPG_PASSPHRASE="$PASS" -- list
assert_exit 0
grep -qF "$target" "$VOLBACK_OUT" || fail "list does not show $target: $(cat "$VOLBACK_OUT")"
run_volback GPG_PASSPHRASE="$PASS" -- verify
assert_exit 0
grep -qF "$target on Local: intact (decrypted" "$VOLBACK_OUT" || fail "verify latest: $(cat "$VOLBACK_OUT")"
mkdir "$T/restored"
run_volback GPG_PASSPHRASE="$PASS" -- restore --to "$T/restored"
assert_exit 0
restored_equals "$T/restored"

step "a custom BACKUP_FILENAME keeps {{ .Extension }} and gets .age"
run_volback AGE_PASSPHRASE="$PASS" BACKUP_COMPRESSION=zst BACKUP_FILENAME='custom-%Y.{{ .Extension }}'
assert_success
assert_file "$ARCHIVE/custom-$(date -u +%Y).tar.zst.age"

step "a fixed BACKUP_FILENAME gets .gpg appended, as offen's"
run_volback GPG_PASSPHRASE="$PASS" BACKUP_FILENAME=fixed.tar.gz
assert_success
assert_file "$ARCHIVE/fixed.tar.gz.gpg"
assert_no_file "$ARCHIVE/fixed.tar.gz"
echo "ok"
