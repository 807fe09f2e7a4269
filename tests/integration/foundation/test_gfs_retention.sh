#!/usr/bin/env bash
# GFS retention on the local backend: 400 backups, one every 6 hours for 100 days (file
# times set back), pruned with `volback prune --at` under BACKUP_RETENTION_KEEP_*; the
# survivors are exactly the set that backend_scenarios/gfs_reference.py computes from
# restic's documented rules. The dry run deletes nothing, lists the same deletable set and
# says which rule keeps each survivor (the oldest by the monthly rule, which has counts left). With BACKUP_RETENTION_DAYS as well, a backup goes
# only when both rules let it go.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_tool /usr/bin/python3

reference=$REPO_ROOT/tests/integration/backend_scenarios/gfs_reference.py
at=2026-12-01T00:00:00Z
at_epoch=$(date -u -d "$at" +%s)
RULES=(BACKUP_RETENTION_KEEP_LAST=4 BACKUP_RETENTION_KEEP_DAILY=10 BACKUP_RETENTION_KEEP_WEEKLY=6
  BACKUP_RETENTION_KEEP_MONTHLY=6 BACKUP_RETENTION_KEEP_YEARLY=1 BACKUP_RETENTION_KEEP_WITHIN=36h)
rules_json='{"last": 4, "daily": 10, "weekly": 6, "monthly": 6, "yearly": 1, "within_seconds": 129600}'

# make_backups DIR — 400 backups and one file outside the prefix; prints "name epoch" lines.
make_backups() {
  rm -rf "$1" && mkdir -p "$1"
  /usr/bin/python3 - "$1" "$at_epoch" <<'PY'
import os, sys
d, at = sys.argv[1], int(sys.argv[2])
for i in range(400):
    t = at - 3 * 3600 - i * 6 * 3600
    name = "backup-%03d.tar.gz" % i
    with open(os.path.join(d, name), "w") as f:
        f.write("x")
    os.utime(os.path.join(d, name), (t, t))
    print(name, t)
other = os.path.join(d, "other.tar.gz")
open(other, "w").close()
os.utime(other, (0, 0))
PY
}
survivors() { (cd "$1" && ls | grep '^backup-' | LC_ALL=C sort); }

step "dry run: nothing deleted; the deletable list and the reasons"
dir=$T/archive
records=$(make_backups "$dir")
expected=$(/usr/bin/python3 "$reference" "$rules_json" <<<"$records" | LC_ALL=C sort)
echo "reference keeps $(wc -l <<<"$expected") of 400"
run_volback BACKUP_ARCHIVE="$dir" BACKUP_PRUNING_PREFIX=backup- "${RULES[@]}" -- prune --dry-run --at "$at"
assert_exit 0
[[ $(survivors "$dir" | wc -l) == 400 ]] || fail "the dry run deleted something"
deletable=$(awk -F'\t' 'NF == 2 {print $2}' "$VOLBACK_OUT" | LC_ALL=C sort)
kept=$(awk -F'\t' 'NF == 3 {print $2}' "$VOLBACK_OUT" | LC_ALL=C sort)
assert_eq "$expected" "$kept" "backups the dry run keeps"
[[ $(($(wc -l <<<"$deletable") + $(wc -l <<<"$kept"))) == 400 ]] || fail "the dry run does not list every backup"
grep -qx $'Local\tbackup-000.tar.gz\tkept by within 36h0m0s, last, daily, weekly, monthly, yearly' "$VOLBACK_OUT" ||
  fail "the newest backup's reasons: $(grep 'backup-000\.' "$VOLBACK_OUT")"
grep -q $'\tkept by oldest ' "$VOLBACK_OUT" || fail "no rule kept the oldest backup"

step "prune: the survivors are the reference's set; the file outside the prefix stays"
run_volback BACKUP_ARCHIVE="$dir" BACKUP_PRUNING_PREFIX=backup- "${RULES[@]}" -- prune --at "$at"
assert_exit 0
assert_eq "$expected" "$(survivors "$dir")" "survivors of GFS pruning"
assert_file "$dir/other.tar.gz"
assert_contains "backups that no BACKUP_RETENTION_KEEP_* rule keeps."

step "with BACKUP_RETENTION_DAYS=30 too: a backup goes only when both rules let it go"
records=$(make_backups "$dir")
deadline=$((at_epoch - 30 * 86400 + 60)) # BACKUP_PRUNING_LEEWAY's 1m
expected=$(/usr/bin/python3 "$reference" "${rules_json%\}}, \"days_deadline\": $deadline}" <<<"$records" | LC_ALL=C sort)
run_volback BACKUP_ARCHIVE="$dir" BACKUP_PRUNING_PREFIX=backup- BACKUP_RETENTION_DAYS=30 "${RULES[@]}" -- prune --at "$at"
assert_exit 0
assert_eq "$expected" "$(survivors "$dir")" "survivors of GFS and retention days"
assert_contains "as they were older than the given deadline"

step "invalid rules are configuration errors"
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_KEEP_DAILY=-2 -- prune
assert_exit 2
assert_contains BACKUP_RETENTION_KEEP_DAILY
run_volback BACKUP_ARCHIVE="$dir" BACKUP_RETENTION_KEEP_WITHIN=-1h -- prune
assert_exit 2
assert_contains BACKUP_RETENTION_KEEP_WITHIN
echo "PASS"
