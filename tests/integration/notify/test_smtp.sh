#!/usr/bin/env bash
# E-mail over a real SMTP server (aiosmtpd): STARTTLS with AUTH PLAIN to two recipients with
# fromname and subject, implicit TLS with AUTH LOGIN,
# and NOTIFICATION_LEVEL deciding which runs send mail. The password never reaches the log.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"

step "STARTTLS, AUTH PLAIN, two recipients (the comma URL-encoded, as offen wants), level info: one mail each"
start_smtp starttls
url="smtp://mailer:mail-secret@127.0.0.1:$SMTP_PORT/?fromaddress=backup@example.com&fromname=Volback%20Host"
url+="&toaddresses=ops@example.com%2Concall@example.com&auth=Plain&requirestarttls=yes&skiptlsverify=yes"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=info
assert_success
assert_contains "Sent a notification"
assert_not_contains "mail-secret"
[[ $(count_files "$SMTP_DIR" 'mail-*.eml') == 2 ]] || fail "expected 2 mails, got $(count_files "$SMTP_DIR" 'mail-*.eml')"
rcpts=$(tail -n +2 "$SMTP_DIR"/mail-1.env "$SMTP_DIR"/mail-2.env | grep '@' | sort | tr '\n' ' ')
[[ $rcpts == "oncall@example.com ops@example.com " ]] || fail "recipients: $rcpts"
grep -qx 'auth=True' "$SMTP_DIR/mail-1.env" || fail "the mail was sent without authenticating"
[[ $(head -1 "$SMTP_DIR/mail-1.env") == backup@example.com ]] || fail "envelope sender: $(head -1 "$SMTP_DIR/mail-1.env")"
from=$(mail_header "$SMTP_DIR/mail-1.eml" From)
[[ $from == 'Volback Host <backup@example.com>' ]] || fail "From: $from"
subject=$(mail_header "$SMTP_DIR/mail-1.eml" Subject)
[[ $subject == "Success running docker-volume-backup at "* ]] || fail "Subject: $subject"
body=$(mail_body "$SMTP_DIR/mail-1.eml")
[[ $body == *"Running docker-volume-backup succeeded."* ]] || fail "body: $body"
[[ $body == *"Finished running backup tasks."* ]] || fail "the body lacks the run's log: $body"

step "level error (the default): a successful run sends nothing"
run_volback NOTIFICATION_URLS="$url"
assert_success
[[ $(count_files "$SMTP_DIR" 'mail-*.eml') == 2 ]] || fail "a mail was sent for a success at level error"

step "level error: a failed run sends the failure mail with the error"
run_locked_out NOTIFICATION_URLS="$url"
[[ $(count_files "$SMTP_DIR" 'mail-*.eml') == 4 ]] || fail "expected 2 more mails, got $(count_files "$SMTP_DIR" 'mail-*.eml')"
subject=$(mail_header "$SMTP_DIR/mail-3.eml" Subject)
[[ $subject == "Failure running docker-volume-backup at "* ]] || fail "Subject: $subject"
body=$(mail_body "$SMTP_DIR/mail-3.eml")
[[ $body == *"Running docker-volume-backup failed with error: "*lock* ]] || fail "body: $body"

step "a wrong password: the backup still succeeds, the log says the notification failed"
# aiosmtpd leaves a refused AUTH PLAIN hanging after its 334 reply: the URL's timeout ends it.
bad="${url/mail-secret/wrong-secret}&timeout=3s"
run_volback NOTIFICATION_URLS="$bad" NOTIFICATION_LEVEL=info
assert_success
assert_contains "Sending a notification failed"
assert_not_contains "wrong-secret"
single=$(count_files "$SMTP_DIR" 'mail-*.eml')
[[ $single == 4 ]] || fail "a mail got through with a wrong password"

step "implicit TLS with AUTH LOGIN and a subject"
start_smtp implicit
url="smtp://mailer:mail-secret@127.0.0.1:$SMTP_PORT/?from=backup@example.com&to=ops@example.com"
url+="&auth=Login&encryption=ImplicitTLS&skiptlsverify=yes&subject=ignored"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=info
assert_success
assert_not_contains "mail-secret"
[[ $(count_files "$SMTP_DIR" 'mail-*.eml') == 1 ]] || fail "no mail over implicit TLS"
subject=$(mail_header "$SMTP_DIR/mail-1.eml" Subject)
[[ $subject == "Success running docker-volume-backup at "* ]] || fail "the title is the subject: $subject"
