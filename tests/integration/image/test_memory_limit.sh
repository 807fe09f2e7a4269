#!/usr/bin/env bash
# offen's documented memory limit: the image under `--memory 25m --memory-swap 25m` backs up
# 300 MiB of random data from a volume to S3 (Swift) with a labelled container, with the
# default settings. print-config in the same limits shows the plan it derived from the
# cgroup (one compression thread, 5 MiB parts); the run exits 0, is not OOM-killed, the
# object extracts to the same bytes, and the labelled container runs afterwards.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
vol=$(volume data)
head -c $((300 << 20)) /dev/urandom >"$(volume_path "$vol")/random.bin"
want=$(sha256sum <"$(volume_path "$vol")/random.bin" | cut -d' ' -f1)
run_db db "$(volume db-data)" --label "docker-volume-backup.stop-during-backup=$LABEL"

limits=(--memory 25m --memory-swap 25m)
dk run --rm --network host "${limits[@]}" "${VB_S3_ENV[@]}" -v "$vol:/backup/data:ro" "$VOLBACK_IT_VOLBACK_IMAGE" \
  volback print-config >"$T/print-config.out" 2>&1 || { cat "$T/print-config.out"; fail "print-config failed"; }
grep '^memory plan' "$T/print-config.out"
assert_contains "memory plan: cgroup limit 25 MiB: 1 compression thread" "$T/print-config.out"

rc=0
dk run --name "$IT_ID-limited" --network host "${limits[@]}" "${VB_SOCKET[@]}" "${VB_S3_ENV[@]}" \
  -e "BACKUP_STOP_DURING_BACKUP_LABEL=$LABEL" -v "$vol:/backup/data:ro" -v "$(volume state):/var/lib/volback" \
  "$VOLBACK_IT_VOLBACK_IMAGE" backup >"$T/backup.out" 2>&1 || rc=$?
tail -n 5 "$T/backup.out"
assert_eq false "$(dk inspect -f '{{.State.OOMKilled}}' "$IT_ID-limited")" "OOM-killed"
dk rm -f "$IT_ID-limited" >/dev/null
assert_eq 0 "$rc" "exit code of the backup under --memory 25m"
assert_contains "Backup completed successfully" "$T/backup.out"
assert_running db

mapfile -t keys < <(s3_keys)
[[ ${#keys[@]} == 1 && ${keys[0]} == backup-*.tar.gz ]] || fail "expected one backup-*.tar.gz in S3, got: ${keys[*]}"
fetch_object "${keys[0]}" "$T/x"
assert_eq "$want" "$(sha256sum <"$T/x/backup/data/random.bin" | cut -d' ' -f1)" "the 300 MiB file in the archive"
echo PASS
