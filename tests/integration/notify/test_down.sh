#!/usr/bin/env bash
# A notification target that is down, or that answers with an error, never fails the backup:
# it exits 0, the archive is there, and the log says the notification failed (without the
# URL's secret).
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"

step "nobody listens: exit 0, the failure logged"
port=$(free_port)
run_volback NOTIFICATION_URLS="generic+http://user:down-secret@127.0.0.1:$port/hook" NOTIFICATION_LEVEL=info \
  VOLBACK_NOTIFY_TIMEOUT=2s BACKUP_FILENAME=first.tar.gz
assert_success
assert_file "$ARCHIVE/first.tar.gz"
assert_contains "Sending a notification failed"
assert_not_contains "down-secret"

step "the receiver answers 500: exit 0, the failure logged"
start_http 500
run_volback NOTIFICATION_URLS="generic+http://127.0.0.1:$HTTP_PORT/hook?token=q-secret" NOTIFICATION_LEVEL=info \
  VOLBACK_NOTIFY_TIMEOUT=2s BACKUP_FILENAME=second.tar.gz
assert_success
assert_file "$ARCHIVE/second.tar.gz"
assert_contains "Sending a notification failed"
assert_not_contains "q-secret"
[[ $(count_files "$HTTP_DIR" 'req-*.json') -ge 1 ]] || fail "the receiver got nothing"

step "a failed run stays exit 1 when its notification fails too"
run_locked_out NOTIFICATION_URLS="generic+http://127.0.0.1:$port/hook" VOLBACK_NOTIFY_TIMEOUT=2s
assert_contains "Sending a notification failed"
