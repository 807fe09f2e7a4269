#!/usr/bin/env bash
# Scenario 4: the same image with `user: 1000:1000` and no Docker socket backs up a
# world-readable volume to S3 (the lock in /var/lock and the state volume are writable for
# that user), by `docker exec … backup` and by the daemon's healthcheck.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
data=$(volume data)
# Written by root, readable by everyone.
dk run --rm --network none -v "$data:/data" "$VOLBACK_IT_IMAGE" sh -c \
  'mkdir -p /data/sub && echo one >/data/a.txt && echo two >/data/sub/b.txt && chmod -R a+rX /data' ||
  fail "cannot fill the volume"
run_volback_container nonroot --user 1000:1000 -v "$data:/backup/data:ro"
wait_for_container_log nonroot 'Successfully scheduled backup'
assert_eq "1000 1000" "$(dk exec "$IT_ID-nonroot" sh -c 'echo $(id -u) $(id -g)')" "user in the container"

rc=0
dk exec "$IT_ID-nonroot" backup >"$T/exec.out" 2>&1 || rc=$?
cat "$T/exec.out"
assert_eq 0 "$rc" "exit code of docker exec backup as 1000:1000"
assert_contains 'msg="Finished running backup tasks."' "$T/exec.out"
mapfile -t keys < <(s3_keys)
[[ ${#keys[@]} == 1 ]] || fail "expected one object in S3, got: ${keys[*]}"
fetch_object "${keys[0]}" "$T/x"
assert_eq one "$(cat "$T/x/backup/data/a.txt")" "a.txt"
assert_eq two "$(cat "$T/x/backup/data/sub/b.txt")" "sub/b.txt"
# What volback wrote as 1000:1000: its run record in the state volume.
state=$(volume_path "$IT_ID-nonroot-state")
[[ -n $(find "$state/runs" -type f -uid 1000) ]] || fail "no run record owned by 1000 in the state volume"
dk exec "$IT_ID-nonroot" volback healthcheck || fail "healthcheck as 1000:1000 failed"
echo PASS
