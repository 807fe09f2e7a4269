#!/usr/bin/env bash
# Authentication: a password, an encrypted ed25519 key with its passphrase, an ECDSA key, RSA
# keys in OpenSSH and PEM format (Debian 12's sshd refuses ssh-rsa SHA-1
# signatures by default, so these logins prove rsa-sha2-512);
# a wrong passphrase fails fast (and names no secret).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=sftp_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/sftp_lib.sh"

printf 'data\n' >"$SRC/file.txt"
BASE=(SSH_HOST_NAME=127.0.0.1 SSH_PORT="$SSH_PORT" SSH_USER="$SSH_TEST_USER" SSH_KNOWN_HOSTS_FILE="$SSH_DIR/known_hosts"
  SSH_REMOTE_PATH="$REMOTE_REL" BACKUP_ARCHIVE="$T/none")

step "password (from a _FILE)"
printf 'sftp-secret\n' >"$T/password"
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$T/no-key" SSH_PASSWORD_FILE="$T/password" BACKUP_FILENAME=backup-password.tar.gz
assert_success

step "an encrypted ed25519 key"
head -n 1 "$SSH_DIR/client_ed25519_encrypted" | grep -q 'OPENSSH PRIVATE KEY' || fail "not an OpenSSH key"
ssh-keygen -y -P '' -f "$SSH_DIR/client_ed25519_encrypted" >/dev/null 2>&1 && fail "the key is not encrypted"
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$SSH_DIR/client_ed25519_encrypted" SSH_IDENTITY_PASSPHRASE=key-secret \
  BACKUP_FILENAME=backup-encrypted.tar.gz
assert_success

step "an ECDSA key"
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$SSH_DIR/client_ecdsa" BACKUP_FILENAME=backup-ecdsa.tar.gz
assert_success

step "an RSA key (OpenSSH format)"
head -n 1 "$SSH_DIR/client_rsa" | grep -q 'OPENSSH PRIVATE KEY' || fail "not an OpenSSH key"
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$SSH_DIR/client_rsa" BACKUP_FILENAME=backup-rsa.tar.gz
assert_success

step "an RSA key (PEM)"
head -n 1 "$SSH_DIR/client_rsa_pem" | grep -q 'BEGIN RSA PRIVATE KEY' || fail "not a PEM key"
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$SSH_DIR/client_rsa_pem" BACKUP_FILENAME=backup-rsa-pem.tar.gz
assert_success

step "a wrong passphrase"
start=$(date +%s)
run_volback "${BASE[@]}" SSH_IDENTITY_FILE="$SSH_DIR/client_ed25519_encrypted" SSH_IDENTITY_PASSPHRASE=wrong-phrase \
  BACKUP_FILENAME=backup-wrong.tar.gz
((VOLBACK_RC != 0)) || fail "a wrong passphrase was accepted"
(($(date +%s) - start <= 10)) || fail "failing took too long"
assert_contains "refused the login"
assert_not_contains "wrong-phrase"
assert_eq "backup-ecdsa.tar.gz
backup-encrypted.tar.gz
backup-password.tar.gz
backup-rsa-pem.tar.gz
backup-rsa.tar.gz" "$(remote_keys)" "objects"
echo "PASS"
