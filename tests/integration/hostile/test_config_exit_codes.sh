#!/usr/bin/env bash
# Configuration errors are found by validation, before anything runs: exit 2 with a message
# naming the variable, nothing written to the archive directory, and the same verdict from
# `volback check-config`. Each of these used to pass validation and fail later with exit 1,
# or to mean something else silently:
#   - a BACKUP_FILENAME whose longest expansion exceeds 255 bytes (NAME_MAX);
#   - an AWS_ENDPOINT that is not host[:port] or http(s)://host[:port];
#   - an AWS_ENDPOINT_CA_CERT without a PEM certificate that parses;
#   - a bad VOLBACK_HEALTH_GRACE (daemon, check-config);
#   - @every below one second (daemon, check-config);
#   - AWS_ENDPOINT_PROTO other than http or https (HTTPS now means https).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool timeout coreutils
printf 'data\n' >"$SRC/file.txt"
VOLBACK_WRAPPER=(timeout -k 5 30)
s3=(AWS_S3_BUCKET_NAME=bucket AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=not-a-secret AWS_RETRY_ATTEMPTS=1)

# refused_by ASSIGNMENT... -- NEEDLE: `backup` and `check-config` both exit 2 naming NEEDLE;
# nothing is archived.
refused_by() {
  local -a assigns=()
  while [[ $1 != -- ]]; do
    assigns+=("$1")
    shift
  done
  local needle=$2
  run_volback "${assigns[@]}"
  assert_exit 2
  sed 's/\\"/"/g' "$VOLBACK_LOG" | grep -qF -- "$needle" || fail "backup: '$needle' not logged"
  assert_not_contains 'Backup completed successfully'
  assert_empty_dir "$ARCHIVE"
  run_volback VOLBACK_CONFD_DIR="$T/none" "${assigns[@]}" -- check-config
  assert_exit 2
  assert_contains "schedule from environment: invalid: " "$VOLBACK_OUT"
  assert_contains "$needle" "$VOLBACK_OUT"
  assert_not_contains "check " "$VOLBACK_OUT"  # no reachability check ran
  assert_empty_dir "$ARCHIVE"
}

step "BACKUP_FILENAME of 300 characters"
name300=$(printf 'a%.0s' $(seq 300))
refused_by BACKUP_FILENAME="$name300.tar.gz" -- \
  "for BACKUP_FILENAME: the archive's file name can be 307 bytes long"

step "BACKUP_FILENAME that only some dates make too long (%A is 'Wednesday' at its longest)"
name240=$(printf 'b%.0s' $(seq 240))
refused_by BACKUP_FILENAME="$name240-%A.{{ .Extension }}" -- \
  "can be 257 bytes long (each strftime verb at its longest, with the extension tar.gz), more than the 255 bytes"
step "... and the same with an extension short enough fits"
run_volback BACKUP_FILENAME="$name240-%A.{{ .Extension }}" BACKUP_COMPRESSION=none
assert_success
rm -f "$ARCHIVE"/*

for endpoint in 'host:99999' 'host:abc' 'bad host' 'h:1:2' '[::1' 'https://' 'http://host:0' '999.1.1.1'; do
  step "AWS_ENDPOINT=$endpoint"
  refused_by "${s3[@]}" AWS_ENDPOINT="$endpoint" -- "for AWS_ENDPOINT: must be host[:port]"
done

step "AWS_ENDPOINT_CA_CERT: a file without a certificate, a damaged PEM text"
printf 'not a certificate\n' >"$T/ca.pem"
refused_by "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 AWS_ENDPOINT_CA_CERT="$T/ca.pem" -- \
  "invalid value \"$T/ca.pem\" for AWS_ENDPOINT_CA_CERT: the file holds no PEM certificate"
refused_by "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 \
  AWS_ENDPOINT_CA_CERT="$(printf -- '-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n')" -- \
  'invalid value "<PEM text>" for AWS_ENDPOINT_CA_CERT: the PEM text does not parse as a PEM certificate'
refused_by "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 AWS_ENDPOINT_CA_CERT=/dev/zero -- \
  "is neither PEM text nor a readable file"

step "AWS_ENDPOINT_PROTO: ftp refused; HTTPS means https"
refused_by "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 AWS_ENDPOINT_PROTO=ftp -- \
  'invalid value "ftp" for AWS_ENDPOINT_PROTO: must be https or http'
run_volback "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 AWS_ENDPOINT_PROTO=HTTPS -- print-config
assert_exit 0
assert_contains "AWS_ENDPOINT_PROTO=HTTPS" "$VOLBACK_OUT"
run_volback "${s3[@]}" AWS_ENDPOINT=127.0.0.1:9 AWS_ENDPOINT_PROTO=HTTPS VOLBACK_CONFD_DIR="$T/none" -- check-config
assert_exit 1  # nothing listens there, but it is asked over TLS
assert_contains "check backend S3 bucket bucket at https://127.0.0.1:9: FAILED" "$VOLBACK_OUT"

# The scheduler's settings: one-shot backups ignore them (as offen does), the daemon,
# check-config and print-config refuse them before anything is scheduled.
for case in 'VOLBACK_HEALTH_GRACE=banana|invalid value "banana" for VOLBACK_HEALTH_GRACE' \
  'VOLBACK_HEALTH_GRACE=-1h|invalid value "-1h" for VOLBACK_HEALTH_GRACE: must not be negative' \
  'BACKUP_CRON_EXPRESSION=@every 0s|the interval of @every 0s is below the minimum of 1s' \
  'BACKUP_CRON_EXPRESSION=@every 500ms|the interval of @every 500ms is below the minimum of 1s'; do
  assignment=${case%%|*}
  needle=${case#*|}
  step "$assignment"
  run_volback VOLBACK_CONFD_DIR="$T/none" "$assignment" -- daemon
  assert_exit 2
  sed 's/\\"/"/g' "$VOLBACK_LOG" | grep -qF -- "$needle" || fail "daemon: '$needle' not logged"
  assert_not_contains "Successfully scheduled"
  assert_empty_dir "$ARCHIVE"
  run_volback VOLBACK_CONFD_DIR="$T/none" "$assignment" -- check-config
  assert_exit 2
  assert_contains "schedule from environment: invalid: " "$VOLBACK_OUT"
  assert_contains "$needle" "$VOLBACK_OUT"
  run_volback VOLBACK_CONFD_DIR="$T/none" "$assignment" -- print-config
  assert_exit 2
  assert_contains "error: " "$VOLBACK_OUT"
  assert_contains "$needle" "$VOLBACK_OUT"
  assert_empty_dir "$ARCHIVE"
done

step "healthcheck refuses a bad VOLBACK_HEALTH_GRACE the same way"
run_volback VOLBACK_HEALTH_GRACE=-1h -- healthcheck
assert_exit 2
assert_contains 'unhealthy: invalid value "-1h" for VOLBACK_HEALTH_GRACE: must not be negative' "$VOLBACK_OUT"
echo ok
