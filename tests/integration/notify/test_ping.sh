#!/usr/bin/env bash
# healthchecks.io-style pings against a local HTTP receiver: start then success, start then
# fail with the log's last lines posted; the URL's token never reaches the log.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"
start_http

step "a successful run: GET /start, then POST the check with the log"
run_volback VOLBACK_PING_URL="http://127.0.0.1:$HTTP_PORT/ping/token-secret"
assert_success
assert_not_contains "token-secret"
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 2 ]] || fail "expected 2 pings, got $(count_files "$HTTP_DIR" 'req-*.json')"
[[ "$(req_field "$HTTP_DIR/req-001.json" 'r["method"] + " " + r["path"]')" == "GET /ping/token-secret/start" ]] ||
  fail "first ping: $(req_field "$HTTP_DIR/req-001.json" 'r["method"] + " " + r["path"]')"
[[ "$(req_field "$HTTP_DIR/req-002.json" 'r["method"] + " " + r["path"]')" == "POST /ping/token-secret" ]] ||
  fail "second ping: $(req_field "$HTTP_DIR/req-002.json" 'r["method"] + " " + r["path"]')"
[[ $(req_field "$HTTP_DIR/req-002.json" 'r["body"]') == *"Finished running backup tasks."* ]] ||
  fail "the success ping lacks the log: $(req_field "$HTTP_DIR/req-002.json" 'r["body"]')"

step "a failed run: GET /start, then POST /fail with the log"
run_locked_out VOLBACK_PING_URL="http://127.0.0.1:$HTTP_PORT/ping/token-secret"
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 4 ]] || fail "expected 2 more pings"
[[ "$(req_field "$HTTP_DIR/req-003.json" 'r["method"] + " " + r["path"]')" == "GET /ping/token-secret/start" ]] ||
  fail "third ping: $(req_field "$HTTP_DIR/req-003.json" 'r["method"] + " " + r["path"]')"
[[ "$(req_field "$HTTP_DIR/req-004.json" 'r["method"] + " " + r["path"]')" == "POST /ping/token-secret/fail" ]] ||
  fail "fourth ping: $(req_field "$HTTP_DIR/req-004.json" 'r["method"] + " " + r["path"]')"
[[ $(req_field "$HTTP_DIR/req-004.json" 'r["body"]') == *lock* ]] ||
  fail "the failure ping lacks the error: $(req_field "$HTTP_DIR/req-004.json" 'r["body"]')"

step "Uptime Kuma's form: a GET of the success URL exactly"
run_volback VOLBACK_PING_SUCCESS_URL="http://127.0.0.1:$HTTP_PORT/api/push/kuma-secret?status=up&msg=OK"
assert_success
assert_not_contains "kuma-secret"
[[ "$(req_field "$HTTP_DIR/req-005.json" 'r["method"] + " " + r["path"]')" == "GET /api/push/kuma-secret?status=up&msg=OK" ]] ||
  fail "kuma ping: $(req_field "$HTTP_DIR/req-005.json" 'r["method"] + " " + r["path"]')"
