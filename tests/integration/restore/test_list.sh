#!/usr/bin/env bash
# Scenario 6: one backup on both backends, one on the local backend only: `list` shows both,
# newest first, and flags the second; `list --json` parses.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
require_tool /usr/bin/python3 python3

mkdir -p "$SRC/app" && printf 'x\n' >"$SRC/app/x"
run_volback "${S3_ENV[@]}" BACKUP_FILENAME=backup-1-both.tar.gz
assert_success
sleep 1.1  # distinct modification times
run_volback BACKUP_FILENAME=backup-2-local.tar.gz
assert_success

run_volback "${S3_ENV[@]}" -- list
assert_exit 0
cat "$VOLBACK_OUT"
assert_eq backup-2-local.tar.gz "$(sed -n 2p "$VOLBACK_OUT" | cut -d' ' -f1)" "newest first"
sed -n 2p "$VOLBACK_OUT" | grep -qF "only on some backends: missing from S3" || fail "local-only backup not flagged"
sed -n 3p "$VOLBACK_OUT" | grep -qF "Local, S3" || fail "the backup on both backends does not show both"
! sed -n 3p "$VOLBACK_OUT" | grep -qF "only on some" || fail "the complete backup is flagged"

run_volback "${S3_ENV[@]}" -- list --json
assert_exit 0
/usr/bin/python3 - "$VOLBACK_OUT" <<'PY' || fail "list --json: $(cat "$VOLBACK_OUT")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["name"] for r in rows] == ["backup-2-local.tar.gz", "backup-1-both.tar.gz"], rows
assert rows[0]["backends"] == ["Local"] and rows[0]["missing"] == ["S3"] and not rows[0]["complete"], rows[0]
assert rows[1]["backends"] == ["Local", "S3"] and rows[1]["complete"], rows[1]
assert all(r["size"] > 0 and r["time"].endswith("Z") for r in rows)
PY

step "--config: the S3 settings from a conf.d file, as backup --config takes them"
printf '%s\n' "${S3_ENV[@]}" >"$T/s3.env"
run_volback -- list --config "$T/s3.env" --json
assert_exit 0
/usr/bin/python3 -c 'import json, sys; rows = json.load(open(sys.argv[1])); assert rows[1]["backends"] == ["Local", "S3"], rows' \
  "$VOLBACK_OUT" || fail "list --config: $(cat "$VOLBACK_OUT")"
run_volback -- verify backup-1-both.tar.gz --backend S3 --config "$T/s3.env"
assert_exit 0
run_volback -- list --config "$T/missing.env"
assert_exit 2
assert_contains "missing.env"
echo "PASS"
