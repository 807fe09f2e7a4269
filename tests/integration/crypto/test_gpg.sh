#!/usr/bin/env bash
# OpenPGP with GnuPG 2.2 as the independent client, both ways:
#   - GPG_PASSPHRASE: gpg --decrypt reads the .tar.gz.gpg, GNU tar finds app_data/offen.db;
#   - GPG_PUBLIC_KEY_RING_FILE with an RSA-4096 key and a cv25519 key: each secret key alone
#     decrypts it with gpg, and volback verifies and restores it with either secret key ring
#     (GPG_SECRET_KEY_RING_FILE or --identity, with GPG_SECRET_KEY_PASSPHRASE);
#   - archives that gpg --symmetric and gpg --encrypt made of a volback tar are verified and
#     restored by volback;
#   - a wrong passphrase or key, a flipped byte, a truncated ciphertext: exit 1, target untouched;
#   - the passphrase never appears in the output, print-config shows ***.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=crypto_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/crypto_lib.sh"
require_tool gpg gnupg

PASS='correct horse battery staple'
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"

step "GPG_PASSPHRASE: gpg decrypts what volback wrote"
run_volback GPG_PASSPHRASE="$PASS"
assert_success
file=$(single_archive "$ARCHIVE")
name=${file##*/}
[[ $name == *.tar.gz.gpg ]] || fail "archive name $name does not end in .tar.gz.gpg"
assert_log_line INFO "Encrypted backup using"
gpg_q --passphrase "$PASS" --decrypt --output "$T/sym.tar.gz" "$file" || fail "gpg cannot decrypt $name"
tar_holds_tree "$T/sym.tar.gz"
restore_ok "$name" GPG_PASSPHRASE="$PASS"
wrong_key "$name" GPG_PASSPHRASE="not the passphrase"
wrong_key "$name"
damaged_checks "$file" GPG_PASSPHRASE="$PASS"
run_volback GPG_PASSPHRASE="$PASS" -- print-config
assert_exit 0
grep -qF 'GPG_PASSPHRASE=***' "$VOLBACK_OUT" || fail "print-config does not mask GPG_PASSPHRASE"
! grep -qF "$PASS" "$VOLBACK_OUT" || fail "print-config shows the passphrase"
no_secret_in_logs "$PASS"

step "generating an RSA-4096 key and an ed25519 key with a cv25519 subkey"
KEYPASS='key passphrase'
make_gpg_keys "$KEYPASS"

step "GPG_PUBLIC_KEY_RING_FILE with both keys: each secret key decrypts it"
rm -f "$ARCHIVE"/*
run_volback GPG_PUBLIC_KEY_RING_FILE="$T/pub.asc" BACKUP_COMPRESSION=zst
assert_success
file=$(single_archive "$ARCHIVE")
name=${file##*/}
[[ $name == *.tar.zst.gpg ]] || fail "archive name $name does not end in .tar.zst.gpg"
for who in rsa cv; do
  home=$(gpg_home_with "$who")
  GNUPGHOME=$home gpg_q --passphrase "$KEYPASS" --decrypt --output "$T/pk-$who.tar.zst" "$file" ||
    fail "gpg with only the $who key cannot decrypt $name"
  zstd -q -d -o "$T/pk-$who.tar" "$T/pk-$who.tar.zst" || fail "the decrypted $who archive is no zstd stream"
  tar_holds_tree "$T/pk-$who.tar"
done
restore_ok "$name" GPG_SECRET_KEY_RING_FILE="$T/rsa.sec.asc" GPG_SECRET_KEY_PASSPHRASE="$KEYPASS"
restore_ok "$name" GPG_SECRET_KEY_PASSPHRASE="$KEYPASS" -- --identity "$T/cv.sec.asc"
wrong_key "$name" GPG_SECRET_KEY_RING_FILE="$T/rsa.sec.asc" GPG_SECRET_KEY_PASSPHRASE="wrong"
no_secret_in_logs "$KEYPASS"

step "the other way: gpg --symmetric and gpg --encrypt of a volback archive"
rm -f "$ARCHIVE"/*
run_volback BACKUP_COMPRESSION=gz
assert_success
plain=$(single_archive "$ARCHIVE")
base=${plain##*/}
gpg_q --passphrase "$PASS" --symmetric --output "$ARCHIVE/$base.gpg" "$plain" || fail "gpg --symmetric failed"
gpg_q --trust-model always --recipient rsa@example.invalid --recipient cv@example.invalid --encrypt \
  --output "$T/pk.gpg" "$plain" || fail "gpg --encrypt failed"
rm -f "$plain"
restore_ok "$base.gpg" GPG_PASSPHRASE="$PASS"
mv "$T/pk.gpg" "$ARCHIVE/$base.gpg"
restore_ok "$base.gpg" GPG_SECRET_KEY_RING_FILE="$T/cv.sec.asc" GPG_SECRET_KEY_PASSPHRASE="$KEYPASS"
restore_ok "$base.gpg" GPG_SECRET_KEY_RING_FILE="$T/rsa.sec.asc" GPG_SECRET_KEY_PASSPHRASE="$KEYPASS"

step "two methods at once are refused before anything runs"
rm -f "$ARCHIVE"/*
run_volback GPG_PASSPHRASE=a AGE_PASSPHRASE=b
assert_exit 2
assert_eq "" "$(archive_files "$ARCHIVE")" "archives after a refused configuration"
echo "ok"
