#!/usr/bin/env bash
# LOG_FORMAT=json: every line a backup logs (on stdout) is one JSON object with slog's keys time,
# level and msg; LOG_LEVEL=warn hides info records.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_tool /usr/bin/python3 python3

printf 'data\n' >"$SRC/file.txt"

step "a backup with LOG_FORMAT=json"
run_volback LOG_FORMAT=json BACKUP_FILENAME='name with "quotes".tar.gz'
assert_exit 0
/usr/bin/python3 - "$VOLBACK_LOG" <<'PY' || fail "the log is not one JSON object per line"
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
assert lines, "no log lines"
msgs = []
for line in lines:
    record = json.loads(line)
    assert list(record)[:3] == ["time", "level", "msg"], record
    msgs.append(record["msg"])
assert "Backup completed successfully" in msgs, msgs
assert "Finished running backup tasks." in msgs, msgs
print(len(lines), "JSON lines")
PY

step "LOG_LEVEL=warn hides info records"
run_volback LOG_FORMAT=json LOG_LEVEL=warn BACKUP_FILENAME=quiet.tar.gz
assert_exit 0
assert_not_contains '"level":"INFO"'
echo ok
