#!/usr/bin/env bash
# print-config shows every schedule with its source, warnings and settings, secrets as ***
# and the expanded BACKUP_FILENAME; check-config validates every schedule, then checks the
# storage read-only and names what it cannot reach. Neither takes the lock.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_tool flock util-linux
require_tool setpriv util-linux

secret='s3cr3t-Value-42'
s3_supported=0
run_volback -- backup --help
grep -q AWS_SECRET_ACCESS_KEY "$VOLBACK_OUT" && s3_supported=1
echo "S3 supported by this build: $s3_supported"

mkdir -p "$T/conf.d"
# shellcheck disable=SC2016 # $STACK is for volback to expand
printf 'BACKUP_FILENAME=weekly-$STACK-%%Y.tar.gz\nBACKUP_FILENAME_EXPAND=true\n' >"$T/conf.d/weekly.env"
printf 'BACKUP_CRON_EXPRESSION=0 0 5 31 2 ?\n' >"$T/conf.d/never.env"

step "print-config holds no lock: it works while the lock is held"
exec {lock_fd}>>"$VOLBACK_LOCK_FILE"
flock -x -n "$lock_fd" || fail "cannot take the lock for the test"
extra=()
((s3_supported)) && extra=(AWS_S3_BUCKET_NAME=bucket AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY="$secret")
run_volback VOLBACK_CONFD_DIR="$T/conf.d" STACK=shop "${extra[@]}" -- print-config
assert_exit 0
assert_contains "source=$T/conf.d/never.env" "$VOLBACK_OUT"
assert_contains "source=$T/conf.d/weekly.env" "$VOLBACK_OUT"
assert_contains "warning: BACKUP_CRON_EXPRESSION 0 0 5 31 2 ? never fires" "$VOLBACK_OUT"
assert_contains "resolved: BACKUP_FILENAME=weekly-shop-%Y.tar.gz" "$VOLBACK_OUT"
if ((s3_supported)); then
  assert_contains "AWS_SECRET_ACCESS_KEY=***" "$VOLBACK_OUT"
fi
assert_not_contains "$secret" "$VOLBACK_OUT"
assert_not_contains "$secret" "$VOLBACK_LOG"

step "print-config without conf.d: the environment, a secret from a _FILE still ***"
printf '%s\n' "$secret" >"$T/secret"
extra=()
((s3_supported)) && extra=(AWS_S3_BUCKET_NAME=bucket AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY_FILE="$T/secret")
run_volback VOLBACK_CONFD_DIR="$T/none" "${extra[@]}" -- print-config
assert_exit 0
assert_contains "source=from environment" "$VOLBACK_OUT"
((s3_supported)) && assert_contains "AWS_SECRET_ACCESS_KEY=***" "$VOLBACK_OUT"
assert_not_contains "$secret" "$VOLBACK_OUT"

step "check-config: valid schedules, reachable local directory"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" STACK=shop -- check-config
assert_exit 0
assert_contains "schedule $T/conf.d/weekly.env: valid" "$VOLBACK_OUT"
assert_contains "check local directory $ARCHIVE: ok" "$VOLBACK_OUT"
exec {lock_fd}>&-

step "check-config: a directory this user cannot write to fails, naming it"
mkdir -p "$T/readonly"
chmod 0555 "$T/readonly"
if [[ $(id -u) == 0 ]]; then
  VOLBACK_WRAPPER=(setpriv --reuid=65534 --regid=65534 --clear-groups)  # root writes anywhere
fi
run_volback VOLBACK_CONFD_DIR="$T/none" BACKUP_ARCHIVE="$T/readonly" -- check-config
VOLBACK_WRAPPER=()
assert_exit 1
assert_contains "check local directory $T/readonly: FAILED" "$VOLBACK_OUT"

step "check-config: an unreachable remote endpoint fails and is named"
if ((s3_supported)); then
  run_volback VOLBACK_CONFD_DIR="$T/none" AWS_S3_BUCKET_NAME=bucket AWS_ENDPOINT=127.0.0.1:9 \
    AWS_ENDPOINT_PROTO=http AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY="$secret" -- check-config
  [[ $VOLBACK_RC != 0 ]] || fail "check-config passed against an unreachable S3 endpoint"
  grep -q '127.0.0.1:9' "$VOLBACK_OUT" "$VOLBACK_LOG" || fail "check-config does not name the endpoint"
  assert_not_contains "$secret" "$VOLBACK_OUT"
  assert_not_contains "$secret" "$VOLBACK_LOG"
else
  # Without S3 support the variables are refused as a configuration error, by name.
  run_volback VOLBACK_CONFD_DIR="$T/none" AWS_S3_BUCKET_NAME=bucket AWS_ENDPOINT=127.0.0.1:9 -- check-config
  assert_exit 2
  assert_contains "AWS_S3_BUCKET_NAME is not supported by volback yet" "$VOLBACK_OUT"
fi

step "check-config: an invalid schedule exits 2 before any reachability check"
printf 'BACKUP_CRON_EXPRESSION=every day\n' >"$T/conf.d/broken.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- check-config
assert_exit 2
assert_contains "schedule $T/conf.d/broken.env: invalid" "$VOLBACK_OUT"
assert_not_contains "check local directory" "$VOLBACK_OUT"
echo ok
