#!/usr/bin/env bash
# Dropbox's transient answers during a concurrent upload session: a 429 with Retry-After on
# an append, a connection dropped in the middle of another append's body, and a 500 on the
# finish. Each is retried (the 429 after the wait it asks for), the backup succeeds, and the
# stored file is byte for byte the local archive. The debug log holds no secret: neither the
# refresh token, the app secret nor an access token. Then, in a sequential session, an append
# that took effect but lost its answer: its retry meets incorrect_offset just past it and
# counts as done.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=dropbox_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/dropbox_lib.sh"
make_random_file "$SRC/data.bin" $((14 * 1024 * 1024))
dbx_control "{\"fault\": {\"route\": \"files/upload_session/append_v2\", \"status\": 429, \"retry_after\": 1, \"match\": \"\"}}" >/dev/null
dbx_control "{\"fault\": {\"route\": \"files/upload_session/append_v2\", \"drop\": true}}" >/dev/null
dbx_control "{\"fault\": {\"route\": \"files/upload_session/finish\", \"status\": 500, \"match\": \"$DBX_FOLDER\"}}" >/dev/null
faults=$(dbx_stat faults)
start=$(date +%s%3N)
run_volback "${BACKEND_ENV[@]}" BACKUP_COMPRESSION=none LOG_LEVEL=debug
assert_success
elapsed=$(($(date +%s%3N) - start))
echo "took $elapsed ms"
((elapsed >= 1000)) || fail "the 429's Retry-After of 1 s was not waited for"
assert_eq 3 "$(($(dbx_stat faults) - faults))" "faults the emulator injected"
assert_eq 3 "$(grep -c 'Retrying Dropbox request' "$VOLBACK_LOG")" "retries logged"
grep -q 'HTTP 429 too_many_requests' "$VOLBACK_LOG" || fail "the 429 was not logged as such"
local_archive=$(single_archive "$ARCHIVE")
key=$(remote_keys)
assert_eq "$(basename "$local_archive")" "$key" "the object's key"
remote_fetch "$key" "$T/fetched.tar"
cmp "$local_archive" "$T/fetched.tar" || fail "the stored file differs from the local archive"
step "a sequential session (concurrency 1) whose append took effect but lost its answer"
dbx_control '{"fault": {"route": "files/upload_session/append_v2", "lose_reply": true}}' >/dev/null
rm -f "$ARCHIVE"/*
run_volback "${BACKEND_ENV[@]}" BACKUP_COMPRESSION=none DROPBOX_CONCURRENCY_LEVEL=1 \
  BACKUP_FILENAME=sequential.tar LOG_LEVEL=debug
assert_success
if grep -q 'HTTP 409' "$VOLBACK_LOG"; then fail "the retried append was not taken as done"; fi
grep -q 'Retrying Dropbox request' "$VOLBACK_LOG" || fail "the lost answer was not retried"
assert_eq "$(($(dbx_stat faults) - faults))" 4 "faults the emulator injected"
remote_fetch sequential.tar "$T/sequential.tar"
cmp "$ARCHIVE/sequential.tar" "$T/sequential.tar" || fail "the stored file differs from the local archive"
step "no secret in the log"
grep -q 'Appending to the Dropbox upload session' "$VOLBACK_LOG" || fail "the log is not at debug level"
for secret in refresh-secret app-secret sl.emu-; do
  if grep -q -- "$secret" "$VOLBACK_LOG" "$VOLBACK_OUT"; then fail "the log shows $secret"; fi
done
echo "PASS"
