#!/usr/bin/env bash
# Names from the storage are shown escaped on a terminal: a backup whose name holds a newline
# cannot forge a row of `volback list`, and one with ESC, BEL, CR, a C1 control or invalid
# UTF-8 cannot drive the terminal; `list --json` keeps the names exact; `verify`'s result line
# shows the name escaped; and the slog log quotes such a name, so no log line can be forged.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_tool /usr/bin/python3 python3

mkdir -p "$SRC/app" && printf 'data\n' >"$SRC/app/file.txt"  # a volume: a directory under the sources
run_volback BACKUP_FILENAME=backup-0-plain.tar.gz
assert_success
good=$ARCHIVE/backup-0-plain.tar.gz
forged=$(printf 'backup-1-x.tar.gz\nbackup-2099-01-01.tar.gz        1 B  2099-01-01T00:00:00Z       Local')
escape=$(printf 'backup-2-\033[2J\033]0;pwned\007\r.tar.gz')
c1_and_invalid=$(printf 'backup-3-\302\233\377\376.tar.gz')
for name in "$forged" "$escape" "$c1_and_invalid"; do
  cp "$good" "$ARCHIVE/$name"
done

step "list: one row per backup, printable ASCII only, names escaped"
run_volback -- list
assert_exit 0
cat -v "$VOLBACK_OUT"
assert_eq 5 "$(wc -l <"$VOLBACK_OUT")" "lines of list (a header and 4 backups)"
if LC_ALL=C grep -q '[^[:print:]]' "$VOLBACK_OUT"; then
  fail "list printed a byte that is not printable ASCII"
fi
assert_contains 'backup-1-x.tar.gz\nbackup-2099-01-01.tar.gz' "$VOLBACK_OUT"
assert_contains 'backup-2-\x1b[2J\x1b]0;pwned\x07\r.tar.gz' "$VOLBACK_OUT"
assert_contains 'backup-3-\u009b\xff\xfe.tar.gz' "$VOLBACK_OUT"
assert_eq 0 "$(grep -c '^backup-2099' "$VOLBACK_OUT" || true)" "forged rows"

step "list --json: the names exact"
run_volback -- list --json
assert_exit 0
if LC_ALL=C grep -q "$(printf '\033')" "$VOLBACK_OUT"; then
  fail "list --json printed a raw ESC"
fi
/usr/bin/python3 - "$VOLBACK_OUT" "$forged" "$escape" <<'PY' || fail "list --json: $(cat -v "$VOLBACK_OUT")"
import json, sys
names = [r["name"] for r in json.load(open(sys.argv[1]))]
assert sys.argv[2] in names and sys.argv[3] in names, names
# Invalid UTF-8 cannot be held by JSON: it becomes U+FFFD, the C1 control stays.
assert "backup-3-\u009b\ufffd\ufffd.tar.gz" in names, names
assert len(names) == 4, names
PY

step "verify: the result line shows the name escaped, the log quotes it"
run_volback -- verify "$escape"
assert_exit 0
assert_eq 1 "$(wc -l <"$VOLBACK_OUT")" "lines of verify's result"
assert_contains 'backup-2-\x1b[2J\x1b]0;pwned\x07\r.tar.gz on Local: intact' "$VOLBACK_OUT"
if LC_ALL=C grep -q '[^[:print:]]' "$VOLBACK_OUT" "$VOLBACK_LOG"; then
  fail "verify printed or logged a byte that is not printable ASCII"
fi
assert_contains 'name="backup-2-\x1b[2J\x1b]0;pwned\a\r.tar.gz"'
run_volback -- verify "$forged"
assert_exit 0
assert_eq 1 "$(wc -l <"$VOLBACK_OUT")" "lines of verify's result"
assert_contains 'backup-1-x.tar.gz\nbackup-2099-01-01.tar.gz' "$VOLBACK_OUT"
assert_eq "$(grep -c 'level=' "$VOLBACK_LOG")" "$(wc -l <"$VOLBACK_LOG")" "log lines that are records"
echo ok
