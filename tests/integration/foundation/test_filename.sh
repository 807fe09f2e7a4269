#!/usr/bin/env bash
# BACKUP_FILENAME: strftime verbs in the local time of TZ, {{ .Extension }} following
# BACKUP_COMPRESSION, and a name without verbs overwriting the same file on every run.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

printf 'data\n' >"$SRC/file.txt"

step "default name in TZ=Asia/Tokyo (UTC+9, no DST)"
before=$(TZ=Asia/Tokyo date +%Y-%m-%dT%H)
run_volback TZ=Asia/Tokyo
after=$(TZ=Asia/Tokyo date +%Y-%m-%dT%H)
assert_success
name=$(basename "$(single_archive "$ARCHIVE")")
[[ $name =~ ^backup-([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2})-[0-9]{2}-[0-9]{2}\.tar\.gz$ ]] ||
  fail "unexpected default name $name"
[[ ${BASH_REMATCH[1]} == "$before" || ${BASH_REMATCH[1]} == "$after" ]] ||
  fail "$name is not in Tokyo time (expected hour $before)"
rm -f "$ARCHIVE"/*

step "custom verbs and {{ .Extension }} with zst"
run_volback 'BACKUP_FILENAME=db-%Y%m%d.{{ .Extension }}' BACKUP_COMPRESSION=zst
assert_success
day=$(date -u +%Y%m%d)
name=$(basename "$(single_archive "$ARCHIVE")")
[[ $name == "db-$day.tar.zst" || $name == "db-$(date -u -d '1 minute ago' +%Y%m%d).tar.zst" ]] ||
  fail "expected db-$day.tar.zst, got $name"
zstd -q -t "$ARCHIVE/$name" || fail "zstd -t rejects $name"
rm -f "$ARCHIVE"/*

step "a name without verbs is overwritten by the next run"
run_volback BACKUP_FILENAME=fixed.tar
assert_exit 0
printf 'added later\n' >"$SRC/later.txt"
run_volback BACKUP_FILENAME=fixed.tar
assert_success
assert_eq fixed.tar "$(archive_files "$ARCHIVE" | xargs)" "archive directory"
list_archive "$ARCHIVE/fixed.tar" | grep -xF >/dev/null "${SRC#/}/later.txt" ||
  fail "fixed.tar was not replaced by the second run"
echo "ok"
