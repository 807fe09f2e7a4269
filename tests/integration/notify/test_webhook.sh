#!/usr/bin/env bash
# shoutrrr's generic webhook against a local HTTP receiver: the JSON template with custom
# headers and extra data, the plain-text form, and NOTIFICATION_LEVEL (success at info,
# failure at error, nothing at error on success).
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"
start_http

step "generic+http with template=json, a header and extra data, level info: one POST on success"
url="generic+http://hook:hook-secret@127.0.0.1:$HTTP_PORT/hooks/backup?template=json&@X-Api-Key=key-secret"
url+="&\$host=web-01&titlekey=subject"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=info
assert_success
assert_not_contains "hook-secret"
assert_not_contains "key-secret"
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 1 ]] || fail "expected 1 request, got $(count_files "$HTTP_DIR" 'req-*.json')"
req=$HTTP_DIR/req-001.json
[[ $(req_field "$req" 'r["method"]') == POST ]] || fail "method $(req_field "$req" 'r["method"]')"
[[ $(req_field "$req" 'r["path"]') == /hooks/backup ]] || fail "path $(req_field "$req" 'r["path"]')"
[[ $(req_field "$req" 'r["headers"]["content-type"]') == application/json ]] ||
  fail "content type $(req_field "$req" 'r["headers"]["content-type"]')"
[[ $(req_field "$req" 'r["headers"]["x-api-key"]') == key-secret ]] || fail "the custom header is missing"
[[ $(req_field "$req" 'r["headers"]["authorization"]') == "Basic $(printf hook:hook-secret | base64)" ]] ||
  fail "no basic authentication"
[[ $(req_field "$req" 'json.loads(r["body"])["subject"]') == "Success running docker-volume-backup at "* ]] ||
  fail "title: $(req_field "$req" 'r["body"]')"
[[ $(req_field "$req" 'json.loads(r["body"])["host"]') == web-01 ]] || fail "the extra data is missing"
[[ $(req_field "$req" 'json.loads(r["body"])["message"]') == *"Running docker-volume-backup succeeded."* ]] ||
  fail "message: $(req_field "$req" 'r["body"]')"

step "level error: a successful run sends nothing"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=error
assert_success
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 1 ]] || fail "a success was notified at level error"

step "level error: a failed run is notified; plain text form with method PUT"
plain="generic+http://127.0.0.1:$HTTP_PORT/plain?method=PUT"
run_locked_out NOTIFICATION_URLS="$url,$plain"
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 3 ]] || fail "expected 2 more requests, got $(count_files "$HTTP_DIR" 'req-*.json')"
for req in "$HTTP_DIR"/req-002.json "$HTTP_DIR"/req-003.json; do
  case $(req_field "$req" 'r["path"]') in
    /hooks/backup)
      [[ $(req_field "$req" 'json.loads(r["body"])["subject"]') == "Failure running docker-volume-backup at "* ]] ||
        fail "title: $(req_field "$req" 'r["body"]')"
      ;;
    /plain)
      [[ $(req_field "$req" 'r["method"]') == PUT ]] || fail "method $(req_field "$req" 'r["method"]')"
      [[ $(req_field "$req" 'r["headers"]["content-type"]') == text/plain* ]] || fail "plain content type"
      [[ $(req_field "$req" 'r["body"]') == *"Running docker-volume-backup failed with error: "*lock* ]] ||
        fail "body: $(req_field "$req" 'r["body"]')"
      ;;
    *) fail "unexpected path $(req_field "$req" 'r["path"]')" ;;
  esac
done

step "an invalid configuration (exit 2) is still notified"
run_volback NOTIFICATION_URLS="$url" BACKUP_RETENTION_DAYS=forever
assert_exit 2
[[ $(count_files "$HTTP_DIR" 'req-*.json') == 4 ]] || fail "the configuration error was not notified"
[[ $(req_field "$HTTP_DIR/req-004.json" 'json.loads(r["body"])["message"]') == *BACKUP_RETENTION_DAYS* ]] ||
  fail "the error is not in the message"

step "an unknown scheme is exit 2 naming the service, never the secret"
run_volback NOTIFICATION_URLS="nosuch://user:top-secret@example.com/x"
assert_exit 2
assert_contains "nosuch"
assert_not_contains "top-secret"
