#!/usr/bin/env bash
# Digest authentication (the /digest/ location): a backup streams to it and reads back, a
# wrong password fails fast; the password never shows in the log.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
DAV_LOCATION=digest
# shellcheck source=webdav_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/webdav_lib.sh"

curl -s -o /dev/null -D "$T/headers" "$DAV_URL/" || true
grep -qi '^WWW-Authenticate: Digest' "$T/headers" || fail "the location does not ask for digest: $(cat "$T/headers")"
make_random_file "$SRC/app/data.bin" $((5 * 1024 * 1024))
rmdir "$ARCHIVE"
run_volback "${BACKEND_ENV[@]}" BACKUP_COMPRESSION=none
assert_success
key=$(remote_keys)
remote_fetch "$key" "$T/fetched.tar"
tar -xOf "$T/fetched.tar" "${SRC#/}/app/data.bin" | cmp - "$SRC/app/data.bin" || fail "data.bin differs"
run_volback "${BACKEND_ENV[@]}" -- verify latest
assert_exit 0

start=$(date +%s)
run_volback "${BAD_ENV[@]}"
((VOLBACK_RC != 0)) || fail "a wrong password was accepted"
(($(date +%s) - start <= 10)) || fail "failing took too long"
assert_contains "HTTP 401"
assert_not_contains "wrong-password"
assert_not_contains "$DAV_PASSWORD"
echo "PASS"
