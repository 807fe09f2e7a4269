#!/usr/bin/env bash
# Drive's rate-limit and server errors, once each: 503 on the token endpoint and 403
# rateLimitExceeded on opening the upload session during a backup; then 429 with
# Retry-After: 2 on files.list and 503 on a ranged read. Every one is retried (the 429 no
# sooner than Retry-After asks); the backup, the listing and the verification succeed.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"

expect_injected() {
  local events e
  events=$(gd_events)
  for e in "$@"; do
    grep -qx "$e" <<<"$events" || fail "not injected: $e (events: $(echo "$events" | tr '\n' ','))"
  done
}
mkdir -p "$SRC/app"
printf 'data\n' >"$SRC/app/file.txt"
rmdir "$ARCHIVE"

step "backup through a 503 of the token endpoint and a 403 rateLimitExceeded"
gd_account '"fail": [{"op": "token", "status": 503}, {"op": "create", "status": 403}]'
run_volback "${BACKEND_ENV[@]}"
assert_success
expect_injected 'failed token with 503' 'failed create with 403'

step "list through a 429 with Retry-After: 2, verify through a 503"
gd_account '"fail": [{"op": "list", "status": 429, "retry_after": 2}, {"op": "media", "status": 503}]'
start=$(date +%s%N)
run_volback "${BACKEND_ENV[@]}" -- list
assert_exit 0
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
((elapsed_ms >= 2000)) || fail "the 429's Retry-After of 2 s was not honoured (${elapsed_ms} ms)"
grep -q "$(remote_keys)" "$VOLBACK_OUT" || fail "list does not show the backup"
run_volback "${BACKEND_ENV[@]}" -- verify latest
assert_exit 0
expect_injected 'failed list with 429' 'failed media with 503'
echo "PASS"
