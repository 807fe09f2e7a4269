#!/usr/bin/env bash
# AWS_IAM_ROLE_ENDPOINT: S3 credentials from an instance metadata service, imds_emulator.py,
# which hands out Swift's test keys with a dummy session token.
#  - check-config and print-config: the endpoint alone is enough and shown; a malformed one
#    exits 2; neither keys nor endpoint gives offen's message.
#  - A backup with no static keys, IMDSv2 only, credentials that expire 4 s after they are
#    handed out: the run's lock is held for a while, so that the upload, after the preflight,
#    needs refreshed credentials. The object is whole and extracts; the emulator saw the
#    token PUT and the credential GETs with the token, twice.
#  - IMDSv1 (the token PUT refused): the same without a token.
#  - A service answering garbage, too much, or nothing: exit 1 naming the failed step, and
#    no secret in the log.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool flock util-linux
require_tool tar

IMDS_PID=
stop_imds() {
  if [[ -n $IMDS_PID ]]; then
    kill "$IMDS_PID" 2>/dev/null || true
    wait "$IMDS_PID" 2>/dev/null || true
  fi
  IMDS_PID=
  return 0
}
trap stop_imds EXIT

# start_imds LOG ARGS... — the emulator on a free port, logging to LOG; sets IMDS_URL.
start_imds() {
  local log=$1 port _
  shift
  stop_imds
  port=$(free_port)
  : >"$log"
  /usr/bin/python3 "$S3_SUITE_DIR/imds_emulator.py" "$port" --log "$log" "$@" >"$T/imds.out" 2>&1 &
  IMDS_PID=$!
  IMDS_URL=http://127.0.0.1:$port
  for _ in $(seq 100); do grep -q '^ready' "$T/imds.out" 2>/dev/null && return 0; sleep 0.05; done
  fail "imds_emulator.py did not start: $(cat "$T/imds.out")"
}

# count LOG LINE — how many lines of LOG are exactly LINE.
count() { grep -cxF "$2" "$1" || true; }

# The bucket and endpoint of the suite, without the static keys.
ROLE_ENV=(AWS_S3_BUCKET_NAME="$BUCKET" AWS_ENDPOINT="$S3_ENDPOINT")
CREDS=/latest/meta-data/iam/security-credentials/
printf 'hello\n' >"$SRC/hello.txt"

step "configuration: the endpoint alone is enough; malformed, or no credentials at all, exits 2"
start_imds "$T/check.log"
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" -- print-config
assert_exit 0
assert_contains "AWS_IAM_ROLE_ENDPOINT=$IMDS_URL" "$VOLBACK_OUT"
assert_not_contains testing "$VOLBACK_OUT"
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" -- check-config
assert_exit 0
(($(count "$T/check.log" "GET $CREDS token=valid 200") >= 1)) || fail "check-config did not fetch the credentials"
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT=169.254.169.254
assert_exit 2
assert_contains "AWS_IAM_ROLE_ENDPOINT"
run_volback "${S3_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="http://127.0.0.1:1/latest"
assert_exit 2
assert_contains "without a path"
run_volback "${ROLE_ENV[@]}"
assert_exit 2
assert_contains "AWS_S3_BUCKET_NAME is defined, but no credentials were provided"

step "a backup with the role's credentials, refreshed during the run"
make_random_file "$SRC/data/random.bin" $((7 * 1024 * 1024 + 3))
start_imds "$T/imds.log" --mode v2-only --expiry 4
# The preflight fetches the credentials before the run takes its lock; the upload comes once
# the lock is free, 3 s later, when the credentials are due for a refresh.
flock -x "$VOLBACK_LOCK_FILE" sleep 3 &
holder=$!
for _ in $(seq 100); do flock -n "$VOLBACK_LOCK_FILE" true || break; sleep 0.05; done
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" LOCK_TIMEOUT=1m BACKUP_ARCHIVE="$T/none" \
  BACKUP_COMPRESSION=none AWS_PART_SIZE=5 AWS_UPLOAD_CONCURRENCY=2
wait "$holder" || true
cat "$T/imds.log"
assert_success
assert_log_line INFO "Fetched the S3 credentials from the instance metadata service"
assert_log_line INFO "Refreshed the S3 credentials from the instance metadata service"
assert_not_contains testing                # the secret key
assert_not_contains dummy-session-token    # the session token
puts=$(count "$T/imds.log" "PUT /latest/api/token token=none 200")
roles=$(count "$T/imds.log" "GET $CREDS token=valid 200")
creds=$(count "$T/imds.log" "GET ${CREDS}volback-role token=valid 200")
((puts >= 2 && roles >= 2 && creds >= 2)) ||
  fail "expected two fetches with a token: $puts token PUTs, $roles role GETs, $creds credential GETs"
if grep -v ' token=valid 200$' "$T/imds.log" | grep -q '^GET'; then
  fail "a GET went without a valid token"
fi

step "the object, checked with awscli"
key=$(s3_keys)
[[ $key == backup-*.tar ]] || fail "unexpected keys in the bucket: $key"
aws s3 cp "s3://$BUCKET/$key" "$T/downloaded" >/dev/null
extract_archive "$T/downloaded" "$T/restore"
compare_trees "$SRC" "$(extracted_source "$T/restore")"
[[ -z $(s3_uploads) ]] || fail "incomplete multipart uploads left: $(s3_uploads)"

step "IMDSv1: the token PUT is refused, the GETs go without a token"
rm -f "$SRC/data/random.bin"
start_imds "$T/v1.log" --mode v1-only
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" BACKUP_ARCHIVE="$T/none" BACKUP_FILENAME=v1.tar.gz
cat "$T/v1.log"
assert_success
assert_eq 1 "$(count "$T/v1.log" "PUT /latest/api/token token=none 403")" "refused token PUTs"
assert_eq 1 "$(count "$T/v1.log" "GET ${CREDS}volback-role token=none 200")" "credential GETs without a token"
aws s3api head-object --bucket "$BUCKET" --key v1.tar.gz >/dev/null || fail "v1.tar.gz is not in the bucket"

step "a service that answers garbage: exit 1, the step named, nothing secret logged"
start_imds "$T/garbage.log" --garbage not-json
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" BACKUP_FILENAME=garbage.tar.gz
assert_exit 1
assert_log_line ERROR "instance metadata service, credentials: the reply is not a JSON object"
assert_not_contains SecretAccessKey
assert_not_contains 'Gateway says'
assert_no_file "$ARCHIVE/garbage.tar.gz"

start_imds "$T/huge.log" --garbage huge
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" BACKUP_FILENAME=garbage.tar.gz
assert_exit 1
assert_log_line ERROR "instance metadata service, credentials: the reply is larger than 64 KiB"

start_imds "$T/code.log" --garbage code
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" BACKUP_FILENAME=garbage.tar.gz
assert_exit 1
assert_log_line ERROR "instance metadata service, credentials: the service answered Code"
assert_log_line ERROR AssumeRoleUnauthorizedAccess

step "no service at all: the token request fails after the retries"
stop_imds
run_volback "${ROLE_ENV[@]}" AWS_IAM_ROLE_ENDPOINT="$IMDS_URL" BACKUP_FILENAME=garbage.tar.gz AWS_RETRY_ATTEMPTS=2
assert_exit 1
assert_log_line ERROR "instance metadata service, token:"
[[ $(s3_keys) == *garbage* ]] && fail "a failed run wrote an object: $(s3_keys)"
echo "PASS"
