#!/usr/bin/env bash
# Custom templates from the notifications directory (Go text/template with offen's data and
# functions) change the title and body; a template error is exit 2 before anything runs;
# .Config shows secrets as *** unless VOLBACK_NOTIFY_SECRETS=true.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"

printf 'data\n' >"$SRC/file.txt"
start_http
url="generic+http://127.0.0.1:$HTTP_PORT/hook?template=json"
dir=$T/notifications.d
mkdir -p "$dir"
cat >"$dir/custom.tmpl" <<'TMPL'
{{ define "title_success" -}}
[{{ env "HOSTNAME_LABEL" }}] backup {{ .Stats.BackupFile.Name }} ok
{{- end }}
{{ define "body_success" -}}
size={{ .Stats.BackupFile.Size | formatBytesBin }} took={{ .Stats.TookTime }}
{{- range $name, $s := .Stats.Storages }} {{ $name }}:{{ $s.Total }}{{ end }}
{{- if gt (len .Config.BackupSources) 0 }} sources={{ .Config.BackupSources }}{{ end }}
password={{ .Config.AwsSecretAccessKey }}
{{- end }}
TMPL

step "a custom title and body"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=info VOLBACK_NOTIFICATIONS_DIR="$dir" \
  HOSTNAME_LABEL=web-01 BACKUP_FILENAME=nightly.tar.gz AWS_SECRET_ACCESS_KEY=aws-secret BACKUP_RETENTION_DAYS=7
assert_success
req=$HTTP_DIR/req-001.json
[[ -f $req ]] || fail "no notification"
title=$(req_field "$req" 'json.loads(r["body"])["title"]')
[[ $title == "[web-01] backup nightly.tar.gz ok" ]] || fail "title: $title"
message=$(req_field "$req" 'json.loads(r["body"])["message"]')
[[ $message == "size="*"B took="*" Local:1 "*"sources=$SRC"$'\n'"password=***" ]] || fail "message: $message"
assert_not_contains "aws-secret"

step "VOLBACK_NOTIFY_SECRETS=true shows the secret, as offen does"
run_volback NOTIFICATION_URLS="$url" NOTIFICATION_LEVEL=info VOLBACK_NOTIFICATIONS_DIR="$dir" \
  BACKUP_FILENAME=nightly2.tar.gz AWS_SECRET_ACCESS_KEY=aws-secret VOLBACK_NOTIFY_SECRETS=true
assert_success
message=$(req_field "$HTTP_DIR/req-002.json" 'json.loads(r["body"])["message"]')
[[ $message == *"password=aws-secret" ]] || fail "message: $message"

step "a template error is exit 2, naming the file, and nothing runs"
printf '{{ define "body_failure" }}{{ .Stats.NoSuchField }}{{ end }}\n' >"$dir/broken.tmpl"
run_volback NOTIFICATION_URLS="$url" VOLBACK_NOTIFICATIONS_DIR="$dir" BACKUP_FILENAME=never.tar.gz
assert_exit 2
assert_contains "notification templates"
assert_no_file "$ARCHIVE/never.tar.gz"
rm "$dir/broken.tmpl"
printf '{{ define "title_failure" }}{{ if }}{{ end }}\n' >"$dir/syntax.tmpl"
run_volback NOTIFICATION_URLS="$url" VOLBACK_NOTIFICATIONS_DIR="$dir"
assert_exit 2
assert_contains "syntax.tmpl"
