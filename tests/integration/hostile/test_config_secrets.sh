#!/usr/bin/env bash
# Nothing secret is echoed: a conf.d line without '=' (a secret pasted on its own) is reported
# by file and line number only; an AWS_ENDPOINT or DOCKER_HOST with user info is refused at
# validation (exit 2) with the user info shown as ***; and the secret appears nowhere: not on
# stdout or stderr of backup, print-config, check-config or the daemon, not in the state
# directory (run history, daemon.json).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool timeout coreutils
printf 'data\n' >"$SRC/file.txt"
VOLBACK_WRAPPER=(timeout -k 5 30)
user='u53r-N4me'
secret='S3CR3T-p4ss-42'

# no_secret — neither the user nor the secret in any output so far, the logs of every run, or
# any file of the state directory.
no_secret() {
  local hits
  hits=$(grep -rlF -e "$secret" -e "$user" "$T/logs" "$VOLBACK_OUT" "$VOLBACK_LOG" "$VOLBACK_STATE_DIR" \
    2>/dev/null || true)
  [[ -z $hits ]] || fail "the secret leaked into: $hits"
}

step "a conf.d line without '=' names the file and the line, never its text"
mkdir -p "$T/conf.d"
printf 'BACKUP_FILENAME=daily.tar.gz\nAWS_SECRET_ACCESS_KEY %s\n' "$secret" >"$T/conf.d/daily.env"
for command in check-config print-config daemon; do
  run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- "$command"
  assert_exit 2
  grep -qF "conf.d file $T/conf.d/daily.env: line 2: expected KEY=VALUE" "$VOLBACK_OUT" "$VOLBACK_LOG" ||
    fail "$command does not name the file and line"
  no_secret
done
run_volback -- backup --config "$T/conf.d/daily.env"
assert_exit 2
assert_contains "line 2: expected KEY=VALUE"
no_secret

step "a conf.d key that is not a name, and a bad substitution"
printf 'AWS_SECRET_ACCESS_KEY %s=x\n' "$secret" >"$T/conf.d/daily.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- check-config
assert_exit 2
assert_contains "line 1: the text before the first '=' or ':' is not a variable name: it holds a space" "$VOLBACK_OUT"
# shellcheck disable=SC2016 # ${HOME...} is for volback's parser
printf 'X=${HOME:?%s}\n' "$secret" >"$T/conf.d/daily.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- check-config
assert_exit 2
# shellcheck disable=SC2016 # the literal text of the message
assert_contains 'line 1: unsupported substitution ${HOME...}' "$VOLBACK_OUT"
no_secret
rm -r "$T/conf.d"

s3=(AWS_S3_BUCKET_NAME=bucket AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=not-the-test-secret
  AWS_RETRY_ATTEMPTS=1)
for endpoint in "http://$user:$secret@127.0.0.1:9" "https://$user:$secret@127.0.0.1:9/" "$user:$secret@127.0.0.1:9" \
  "http://$user:p/$secret@127.0.0.1:9"; do
  step "AWS_ENDPOINT with user info ($endpoint): refused at validation, never shown"
  run_volback "${s3[@]}" AWS_ENDPOINT="$endpoint"
  assert_exit 2
  assert_contains 'for AWS_ENDPOINT: must not hold user info'
  assert_contains '***@127.0.0.1:9'
  assert_not_contains 'Backup completed successfully'
  assert_empty_dir "$ARCHIVE"
  no_secret

  run_volback "${s3[@]}" AWS_ENDPOINT="$endpoint" -- print-config
  assert_exit 2
  grep -qE '^AWS_ENDPOINT=(https?://)?\*\*\*@127\.0\.0\.1:9/?  # environment' "$VOLBACK_OUT" ||
    fail "print-config does not show AWS_ENDPOINT redacted"
  assert_contains 'error: invalid value' "$VOLBACK_OUT"
  no_secret

  run_volback "${s3[@]}" AWS_ENDPOINT="$endpoint" VOLBACK_CONFD_DIR="$T/none" -- check-config
  assert_exit 2
  assert_contains 'must not hold user info' "$VOLBACK_OUT"
  no_secret

  run_volback "${s3[@]}" AWS_ENDPOINT="$endpoint" VOLBACK_CONFD_DIR="$T/none" \
    BACKUP_CRON_EXPRESSION='@every 1s' -- daemon
  assert_exit 2
  assert_not_contains "Successfully scheduled"
  no_secret
done

step "DOCKER_HOST with user info: refused at validation, never shown"
for docker_host in "tcp://$user:$secret@127.0.0.1:2375" "http://$user@127.0.0.1:2375"; do
  run_volback DOCKER_HOST="$docker_host"
  assert_exit 2
  assert_contains 'for DOCKER_HOST: must not hold user info'
  assert_empty_dir "$ARCHIVE"
  run_volback DOCKER_HOST="$docker_host" -- print-config
  assert_exit 2
  assert_contains "DOCKER_HOST=${docker_host%%://*}://***@127.0.0.1:2375" "$VOLBACK_OUT"
  run_volback DOCKER_HOST="$docker_host" VOLBACK_CONFD_DIR="$T/none" -- check-config
  assert_exit 2
  no_secret
done

echo ok
