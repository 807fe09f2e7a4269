#!/usr/bin/env bash
# Domain-wide delegation: the emulator's account may act only for admin@example.com (the
# JWT's sub claim). Without GOOGLE_DRIVE_IMPERSONATE_SUBJECT, or with another user, the token
# grant is refused: check-config fails with a clear error and a backup stores nothing; with
# the right subject the backup succeeds.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"

gd_account '"subject": "admin@example.com"'
mkdir -p "$SRC/app"
printf 'data\n' >"$SRC/app/file.txt"

step "no subject: check-config fails"
run_volback "${BACKEND_ENV[@]}" -- check-config
((VOLBACK_RC != 0)) || fail "check-config passed without the subject"
grep -q 'unauthorized_client' "$VOLBACK_LOG" "$VOLBACK_OUT" || fail "the error does not say why: $(cat "$VOLBACK_LOG")"

step "another subject: the backup fails and stores nothing"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_IMPERSONATE_SUBJECT=someone@example.com
((VOLBACK_RC != 0)) || fail "the backup succeeded as someone else"
assert_eq "" "$(remote_keys)" "files"
assert_eq "2" "$(gd_events | grep -c '^wrong subject$')" "refused grants"

step "the right subject"
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_IMPERSONATE_SUBJECT=admin@example.com -- check-config
assert_exit 0
rm -f "$ARCHIVE"/*
run_volback "${BACKEND_ENV[@]}" GOOGLE_DRIVE_IMPERSONATE_SUBJECT=admin@example.com
assert_success
[[ $(remote_keys) == backup-*.tar.gz ]] || fail "unexpected files: $(remote_keys)"
echo "PASS"
