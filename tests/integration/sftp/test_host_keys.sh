#!/usr/bin/env bash
# Host key verification, which offen never does:
#   - a pinned key in SSH_KNOWN_HOSTS_FILE, as a hashed entry (ssh-keygen -H), works;
#   - a known_hosts file that does not list the server fails before anything is written;
#   - without SSH_KNOWN_HOSTS_FILE the first key is pinned in VOLBACK_STATE_DIR/ssh-known-hosts;
#     when the server's key changes, the run fails with both fingerprints and the line to fix.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=sftp_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/sftp_lib.sh"

printf 'data\n' >"$SRC/file.txt"
AUTH=(SSH_HOST_NAME=127.0.0.1 SSH_PORT="$SSH_PORT" SSH_USER="$SSH_TEST_USER" SSH_IDENTITY_FILE="$SSH_DIR/client_ed25519"
  SSH_REMOTE_PATH="$REMOTE_REL" BACKUP_ARCHIVE="$T/none")

step "a hashed known_hosts entry"
cp "$SSH_DIR/known_hosts" "$T/known_hosts"
printf '# other hosts\nexample.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJzLUxICEyTdIkw/f2BO0UGs9ySvytf1zv+zdk3MaFAJ\n' >>"$T/known_hosts"
ssh-keygen -H -f "$T/known_hosts" >/dev/null 2>&1
grep -q '^|1|' "$T/known_hosts" || fail "ssh-keygen did not hash the file"
! grep -q '127.0.0.1' "$T/known_hosts" || fail "the host name is still readable"
run_volback "${AUTH[@]}" SSH_KNOWN_HOSTS_FILE="$T/known_hosts" BACKUP_FILENAME=backup-hashed.tar.gz
assert_success
assert_eq "backup-hashed.tar.gz" "$(remote_keys)" "objects"

step "a known_hosts file without the server"
grep -v '^|1|' "$T/known_hosts" >"$T/others" || true
echo "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJzLUxICEyTdIkw/f2BO0UGs9ySvytf1zv+zdk3MaFAJ" >>"$T/others"
run_volback "${AUTH[@]}" SSH_KNOWN_HOSTS_FILE="$T/others" BACKUP_FILENAME=backup-unknown.tar.gz
((VOLBACK_RC != 0)) || fail "an unlisted host key was accepted"
assert_contains "is not listed in SSH_KNOWN_HOSTS_FILE"
assert_eq "backup-hashed.tar.gz" "$(remote_keys)" "objects"

step "trust on first use pins the key in the state directory"
run_volback "${AUTH[@]}" BACKUP_FILENAME=backup-pinned.tar.gz
assert_success
assert_log_line WARN "Trusting the SSH host key seen first"
grep -qF "[127.0.0.1]:$SSH_PORT ssh-ed25519 $(cut -d' ' -f2 "$SSH_DIR/ssh_host_ed25519_key.pub")" \
  "$VOLBACK_STATE_DIR/ssh-known-hosts" || fail "the key is not pinned: $(cat "$VOLBACK_STATE_DIR/ssh-known-hosts")"
run_volback "${AUTH[@]}" BACKUP_FILENAME=backup-again.tar.gz
assert_success
assert_not_contains "Trusting the SSH host key"

step "a changed host key fails the run with both fingerprints"
real=$(ssh-keygen -lf "$SSH_DIR/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
ssh-keygen -q -t ed25519 -N '' -f "$T/other_host_key"
pinned=$(ssh-keygen -lf "$T/other_host_key.pub" | cut -d' ' -f2)
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$T/other_host_key.pub")" >"$VOLBACK_STATE_DIR/ssh-known-hosts"
run_volback "${AUTH[@]}" BACKUP_FILENAME=backup-changed.tar.gz
((VOLBACK_RC != 0)) || fail "a changed host key was accepted"
assert_contains "has changed"
assert_contains "$real"
assert_contains "$pinned"
assert_contains "ssh-known-hosts line 1"
assert_contains "ssh-keygen -R '[127.0.0.1]:$SSH_PORT'"
assert_eq "backup-again.tar.gz
backup-hashed.tar.gz
backup-pinned.tar.gz" "$(remote_keys)" "objects"
echo "PASS"
