#!/usr/bin/env bash
# Every HTTP notification service against a local receiver (service_checks.py: ntfy,
# gotify, slack webhook and bot, discord, telegram, teams, matrix, pushover, mattermost,
# googlechat), all in one NOTIFICATION_URLS: each gets the requests its API documents,
# the receiver answering as the real service does (service_replies.json). Nothing is sent
# for a success at level error, a success at level info and a failure at level error reach
# every service; no secret of any URL reaches the log.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"
start_http 200 "$NOTIFY_HERE/service_replies.json"
checks=$NOTIFY_HERE/service_checks.py
urls=$($PY "$checks" urls "$HTTP_PORT")
mapfile -t secrets < <($PY "$checks" secrets)

# check_run OUTCOME — checks the requests of the last run, then files them away.
check_run() {
  local problems
  problems=$($PY "$checks" check "$HTTP_DIR" "$1") || fail "the $1 notifications:"$'\n'"$problems"
  mkdir -p "$HTTP_DIR/$1"
  mv "$HTTP_DIR"/req-*.json "$HTTP_DIR/$1/"
}

assert_no_secret() {
  local secret
  for secret in "${secrets[@]}"; do assert_not_contains "$secret"; done
}

step "level error (the default): a successful run sends nothing"
run_volback NOTIFICATION_URLS="$urls"
assert_success
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 0 ]] || fail "a success was notified at level error"

step "level info: a successful run reaches every service as its API expects"
run_volback NOTIFICATION_URLS="$urls" NOTIFICATION_LEVEL=info
assert_success
assert_not_contains "Sending a notification failed"
[[ $(grep -c 'Sent a notification' "$VOLBACK_LOG") == 11 ]] || fail "not every service was sent to"
assert_no_secret
check_run success

step "level error: a failed run reaches every service"
run_locked_out NOTIFICATION_URLS="$urls"
assert_not_contains "Sending a notification failed"
assert_no_secret
check_run failure
