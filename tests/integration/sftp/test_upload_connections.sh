#!/usr/bin/env bash
# SSH_UPLOAD_CONNECTIONS: an upload spread over three SSH connections (2 MiB chunks written
# at their offsets) arrives byte for byte, which GNU tar confirms; the server saw two more
# logins than for the same backup over one connection.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=sftp_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/sftp_lib.sh"

# 11 chunks and a tail: every connection gets several, the last a short one.
make_random_file "$SRC/data/big.bin" $((21 * 1024 * 1024 + 12345))

# logins_during CONNECTIONS — runs a backup with that many upload connections, prints the
# logins sshd accepted meanwhile.
logins_during() {
  local before
  before=$(grep -c "Accepted publickey for $SSH_TEST_USER" "$SSH_DIR/sshd.log" || true)
  run_volback "${BACKEND_ENV[@]}" BACKUP_ARCHIVE="$T/none" BACKUP_COMPRESSION=none SSH_UPLOAD_CONNECTIONS="$1" \
    BACKUP_FILENAME="backup-$1.tar" >&2
  assert_success
  echo $(($(grep -c "Accepted publickey for $SSH_TEST_USER" "$SSH_DIR/sshd.log") - before))
}
one=$(logins_during 1)
three=$(logins_during 3)
echo "logins: $one with one connection, $three with three"
((three == one + 2)) || fail "three upload connections should log in twice more than one ($one, $three)"

for n in 1 3; do
  remote_fetch "backup-$n.tar" "$T/fetched-$n.tar"
  tar -xOf "$T/fetched-$n.tar" "${SRC#/}/data/big.bin" | cmp - "$SRC/data/big.bin" ||
    fail "big.bin differs after an upload over $n connection(s)"
done
[[ -z $(remote_leftovers) ]] || fail "partial files left: $(remote_leftovers)"
echo "PASS"
