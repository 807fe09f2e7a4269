#!/usr/bin/env bash
# GFS retention on S3 (`volback prune --at`): 40 objects put by awscli, pruned with
# BACKUP_RETENTION_KEEP_LAST=7 and KEEP_DAILY=2; the keys left are exactly the set that
# backend_scenarios/gfs_reference.py computes from the bucket's own LastModified times
# (the 7 newest, and the oldest, which the daily rule keeps with a count left).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool /usr/bin/python3

mkdir -p "$T/objects"
for i in $(seq -w 1 40); do printf 'backup %s\n' "$i" >"$T/objects/backup-$i.tar.gz"; done
aws s3 cp --recursive --quiet "$T/objects" "s3://$BUCKET/" || fail "awscli could not upload the objects"
[[ $(s3_keys | wc -l) == 40 ]] || fail "expected 40 objects, found $(s3_keys | wc -l)"

records=$(aws s3api list-objects-v2 --bucket "$BUCKET" --output json |
  /usr/bin/python3 -c '
import json, sys
from datetime import datetime
for o in json.load(sys.stdin)["Contents"]:
    t = datetime.fromisoformat(o["LastModified"].replace("Z", "+00:00"))
    print(o["Key"], t.timestamp())')
at=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
expected=$(/usr/bin/python3 "$REPO_ROOT/tests/integration/backend_scenarios/gfs_reference.py" \
  '{"last": 7, "daily": 2}' <<<"$records" | LC_ALL=C sort)
echo "reference keeps: $(echo $expected)"

run_volback "${S3_ENV[@]}" BACKUP_PRUNING_PREFIX=backup- BACKUP_RETENTION_KEEP_LAST=7 BACKUP_RETENTION_KEEP_DAILY=2 \
  -- prune --at "$at"
assert_exit 0
assert_eq "$expected" "$(s3_keys)" "keys left by GFS pruning"
assert_contains "Pruned $((40 - $(wc -l <<<"$expected"))) out of 40 backups that no BACKUP_RETENTION_KEEP_* rule keeps."
echo "PASS"
