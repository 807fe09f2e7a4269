#!/usr/bin/env bash
# Test 7: TLS with the test's own CA. A TLS-terminating proxy (tcp_proxy.py --tls) with a
# server certificate for 127.0.0.1 signed by that CA stands in front of Swift.
#   - AWS_ENDPOINT_CA_CERT as a file, and as the PEM text itself: the backup works;
#   - without it: the run fails at the preflight with a certificate error;
#   - AWS_ENDPOINT_INSECURE=true: it works.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool openssl

step "a CA and a server certificate for 127.0.0.1"
cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=volback test CA" \
  2>/dev/null || fail "openssl: CA"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null ||
  fail "openssl: CSR"
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
  -extfile server.ext 2>/dev/null || fail "openssl: sign"

port=$(free_port)
start_proxy "$port" --tls "$T/server.pem" "$T/server.key"
trap stop_proxy EXIT
TLS_ENV=("${S3_ENV[@]}" AWS_ENDPOINT="https://127.0.0.1:$port" BACKUP_ARCHIVE="$T/none")
printf 'secret data\n' >"$SRC/file.txt"

step "AWS_ENDPOINT_CA_CERT as a file"
run_volback "${TLS_ENV[@]}" AWS_ENDPOINT_CA_CERT="$T/ca.pem" BACKUP_FILENAME=backup-ca-file.tar.gz
assert_success

step "AWS_ENDPOINT_CA_CERT as PEM text"
run_volback "${TLS_ENV[@]}" AWS_ENDPOINT_CA_CERT="$(cat "$T/ca.pem")" BACKUP_FILENAME=backup-ca-text.tar.gz
assert_success

step "without the CA: a certificate error, nothing written"
run_volback "${TLS_ENV[@]}" BACKUP_FILENAME=backup-no-ca.tar.gz
assert_exit 1
grep 'level=ERROR' "$VOLBACK_LOG" | grep -qi 'certificate' || fail "the error does not name the certificate"

step "AWS_ENDPOINT_INSECURE=true"
run_volback "${TLS_ENV[@]}" AWS_ENDPOINT_INSECURE=true BACKUP_FILENAME=backup-insecure.tar.gz
assert_success

assert_eq "backup-ca-file.tar.gz
backup-ca-text.tar.gz
backup-insecure.tar.gz" "$(s3_keys)" "objects"
echo "PASS"
