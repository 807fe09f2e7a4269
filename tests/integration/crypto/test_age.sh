#!/usr/bin/env bash
# age with the age tool (1.1) as the independent client, both ways:
#   - AGE_PASSPHRASE: `age -d` (its passphrase prompt driven on a pseudo-terminal) reads the
#     .tar.gz.age, GNU tar finds app_data/offen.db;
#   - AGE_PUBLIC_KEYS with two age keys, an ssh-ed25519 and an ssh-rsa key: each identity alone
#     decrypts the same file with age, and volback verifies and restores it with each
#     (AGE_IDENTITY_FILE, --identity, a passphrase-protected SSH key with AGE_IDENTITY_PASSPHRASE);
#   - archives that `age -r`, `age -R` and `age -p` made of a volback tar are restored by volback;
#   - a wrong passphrase or identity, a flipped byte, a truncated ciphertext: exit 1, target
#     untouched; a malformed recipient is exit 2 naming its position, not its content.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=crypto_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/crypto_lib.sh"
require_tool age
require_tool age-keygen age
require_tool ssh-keygen openssh-client
require_tool /usr/bin/python3 python3

PASS='age passphrase 1'

step "AGE_PASSPHRASE: age -d decrypts what volback wrote"
run_volback AGE_PASSPHRASE="$PASS"
assert_success
file=$(single_archive "$ARCHIVE")
name=${file##*/}
[[ $name == *.tar.gz.age ]] || fail "archive name $name does not end in .tar.gz.age"
age_tty "$PASS" -d -o "$T/pass.tar.gz" "$file" || fail "age -d cannot decrypt $name: $(cat "$T/age_tty.out")"
tar_holds_tree "$T/pass.tar.gz"
restore_ok "$name" AGE_PASSPHRASE="$PASS"
wrong_key "$name" AGE_PASSPHRASE="not it"
wrong_key "$name"
damaged_checks "$file" AGE_PASSPHRASE="$PASS"
no_secret_in_logs "$PASS"

step "AGE_PUBLIC_KEYS: two age keys, an ssh-ed25519 and an ssh-rsa key"
make_age_identities
SSHPASS='ssh key passphrase'
ssh-keygen -q -t ed25519 -N "$SSHPASS" -f "$T/ssh_locked" -C it@locked
r1=$(age-keygen -y "$T/id1.txt")
r2=$(age-keygen -y "$T/id2.txt")
recipients="$AGE_RECIPIENTS,$(cat "$T/ssh_locked.pub")"
rm -f "$ARCHIVE"/*
run_volback AGE_PUBLIC_KEYS="$recipients" BACKUP_COMPRESSION=none
assert_success
file=$(single_archive "$ARCHIVE")
name=${file##*/}
[[ $name == *.tar.age ]] || fail "archive name $name does not end in .tar.age"
for id in id1.txt id2.txt ssh_ed25519 ssh_rsa; do
  age -d -i "$T/$id" -o "$T/pk-$id.tar" "$file" || fail "age -d -i $id cannot decrypt $name"
  tar_holds_tree "$T/pk-$id.tar"
done
restore_ok "$name" AGE_IDENTITY_FILE="$T/id2.txt"
restore_ok "$name" -- --identity "$T/ssh_ed25519"
restore_ok "$name" AGE_IDENTITY_FILE="$T/ssh_rsa"
restore_ok "$name" AGE_IDENTITY_FILE="$T/ssh_locked" AGE_IDENTITY_PASSPHRASE="$SSHPASS"
age-keygen -o "$T/stranger.txt" 2>/dev/null
wrong_key "$name" AGE_IDENTITY_FILE="$T/stranger.txt"
wrong_key "$name" AGE_IDENTITY_FILE="$T/ssh_locked" AGE_IDENTITY_PASSPHRASE="wrong"
damaged_checks "$file" AGE_IDENTITY_FILE="$T/id1.txt"
no_secret_in_logs "$SSHPASS"

step "a malformed recipient: exit 2 naming its position, not its content"
run_volback AGE_PUBLIC_KEYS="$r1,age1notakeyatallxyz"
assert_exit 2
grep -qF "AGE_PUBLIC_KEYS" "$VOLBACK_LOG" || fail "the message does not name AGE_PUBLIC_KEYS"
grep -qF "recipient 2 of 2" "$VOLBACK_LOG" || fail "the message does not give the key's position"
! grep -qF "age1notakeyatallxyz" "$VOLBACK_LOG" || fail "the message shows the malformed key"

step "the other way: age -r, age -R and age -p of a volback archive"
rm -f "$ARCHIVE"/*
run_volback BACKUP_COMPRESSION=zst
assert_success
plain=$(single_archive "$ARCHIVE")
base=${plain##*/}
age -r "$r1" -o "$T/r.age" "$plain" || fail "age -r failed"
age -R "$T/ssh_ed25519.pub" -R "$T/ssh_rsa.pub" -o "$T/ssh.age" "$plain" || fail "age -R failed"
age_tty "$PASS" -p -o "$T/p.age" "$plain" || fail "age -p failed: $(cat "$T/age_tty.out")"
age -a -r "$r2" -o "$T/armored.age" "$plain" || fail "age -a -r failed"
rm -f "$plain"
mv "$T/r.age" "$ARCHIVE/$base.age"
restore_ok "$base.age" AGE_IDENTITY_FILE="$T/id1.txt"
mv "$T/ssh.age" "$ARCHIVE/$base.age"
restore_ok "$base.age" AGE_IDENTITY_FILE="$T/ssh_rsa"
restore_ok "$base.age" -- --identity "$T/ssh_ed25519"
mv "$T/p.age" "$ARCHIVE/$base.age"
restore_ok "$base.age" AGE_PASSPHRASE="$PASS"
mv "$T/armored.age" "$ARCHIVE/$base.age"
restore_ok "$base.age" AGE_IDENTITY_FILE="$T/id2.txt"
echo "ok"
