#!/usr/bin/env bash
# Configuration files are read bounded: only a regular file (or a symlink to one), at most
# 4 MiB. X_FILE=/dev/zero, a FIFO as X_FILE, a FIFO in conf.d or as `--config`, and a file
# over the limit each fail fast with exit 2 and a message naming the variable or file,
# before anything is written; print-config, check-config and the daemon never hang on a FIFO
# (the daemon disables that file's schedule alone, and exits 2 when no other is valid).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool timeout coreutils
require_tool mkfifo coreutils
printf 'data\n' >"$SRC/file.txt"
# A hang would be a failure, not a stuck test: every run gets 20 s.
VOLBACK_WRAPPER=(timeout -k 5 20)
# No real run may take long either: a bounded address space turns unbounded reading into a
# quick failure instead of a machine-wide memory shortage.
ulimit -v 4000000

# expect_refused NEEDLE... — the last run exited 2 (not 124 for a timeout), its stdout or its log
# (with slog's \" unescaped) holds every NEEDLE, and nothing was archived.
expect_refused() {
  [[ $VOLBACK_RC != 124 && $VOLBACK_RC != 137 ]] || fail "volback hung (killed by timeout)"
  assert_exit 2
  sed 's/\\"/"/g' "$VOLBACK_LOG" >"$T/log.unescaped"
  local needle
  for needle in "$@"; do
    grep -qF -- "$needle" "$T/log.unescaped" "$VOLBACK_OUT" || fail "'$needle' not in the output"
  done
  assert_empty_dir "$ARCHIVE"
}

step "X_FILE=/dev/zero: refused without reading"
run_volback BACKUP_FILENAME_FILE=/dev/zero
expect_refused 'BACKUP_FILENAME_FILE: "/dev/zero" is a character device; only a regular file (or a symlink to one) is read'
run_volback AWS_S3_BUCKET_NAME=b AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY_FILE=/dev/zero
expect_refused 'AWS_SECRET_ACCESS_KEY_FILE: "/dev/zero" is a character device'

step "X_FILE larger than 4 MiB"
head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' a >"$T/big"
run_volback BACKUP_FILENAME_FILE="$T/big"
expect_refused "BACKUP_FILENAME_FILE: \"$T/big\" is larger than 4 MiB"

step "X_FILE of exactly 4 MiB is read"
head -c $((4 * 1024 * 1024)) /dev/zero | tr '\0' a >"$T/limit"
run_volback BACKUP_PRUNING_PREFIX_FILE="$T/limit" BACKUP_FILENAME=limit.tar.gz
assert_success
rm -f "$ARCHIVE"/*

step "X_FILE that is a FIFO with no writer"
mkfifo "$T/fifo"
run_volback BACKUP_FILENAME_FILE="$T/fifo"
expect_refused "BACKUP_FILENAME_FILE: \"$T/fifo\" is a FIFO"

step "X_FILE that is a directory, and a symlink to a regular file"
run_volback BACKUP_FILENAME_FILE="$T"
expect_refused "BACKUP_FILENAME_FILE: \"$T\" is a directory"
printf 'via-link.tar.gz\n' >"$T/name"
ln -s "$T/name" "$T/name-link"
run_volback BACKUP_FILENAME_FILE="$T/name-link"
assert_success
assert_file "$ARCHIVE/via-link.tar.gz"
rm -f "$ARCHIVE"/*

step "a FIFO in conf.d: print-config and check-config fail fast"
mkdir -p "$T/conf.d"
printf 'BACKUP_FILENAME=daily.tar.gz\n' >"$T/conf.d/daily.env"
mkfifo "$T/conf.d/zz-fifo.env"
for command in print-config check-config; do
  run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- "$command"
  expect_refused "conf.d file $T/conf.d/zz-fifo.env: \"$T/conf.d/zz-fifo.env\" is a FIFO"
done

step "the daemon disables the FIFO's schedule at once and runs the other (SIGTERM after 3 s)"
VOLBACK_WRAPPER=(timeout --preserve-status -s TERM 3)
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- daemon
VOLBACK_WRAPPER=(timeout -k 5 20)
assert_exit 0
sed 's/\\"/"/g' "$VOLBACK_LOG" >"$T/log.unescaped"
assert_contains "conf.d file $T/conf.d/zz-fifo.env: \"$T/conf.d/zz-fifo.env\" is a FIFO" "$T/log.unescaped"
assert_contains "this schedule is disabled"
assert_contains "Successfully scheduled backup $T/conf.d/daily.env"

step "with the FIFO alone, the daemon and offen's entrypoint (backup -foreground) exit 2 at once"
mv "$T/conf.d/daily.env" "$T/daily.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- daemon
expect_refused "is a FIFO" "No valid schedule"
mkdir -p "$T/bin"
ln -sf "$VOLBACK_BIN" "$T/bin/backup"
VOLBACK_EXE=$T/bin/backup
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- -foreground
expect_refused "is a FIFO"
VOLBACK_EXE=
mv "$T/daily.env" "$T/conf.d/daily.env"

step "backup --config and prune --config with a FIFO"
run_volback -- backup --config "$T/conf.d/zz-fifo.env"
expect_refused "conf.d file $T/conf.d/zz-fifo.env: \"$T/conf.d/zz-fifo.env\" is a FIFO"
run_volback -- prune --config "$T/conf.d/zz-fifo.env"
expect_refused "is a FIFO"

step "a conf.d file over 4 MiB"
rm "$T/conf.d/zz-fifo.env"
{ printf 'BACKUP_FILENAME=huge.tar.gz\n'; head -c $((4 * 1024 * 1024)) /dev/zero | tr '\0' '#'; } >"$T/conf.d/huge.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- check-config
expect_refused "conf.d file $T/conf.d/huge.env: \"$T/conf.d/huge.env\" is larger than 4 MiB"
run_volback -- backup --config "$T/conf.d/huge.env"
expect_refused "is larger than 4 MiB"

step "a device in conf.d"
rm "$T/conf.d/huge.env"
ln -s /dev/zero "$T/conf.d/zero.env"
run_volback VOLBACK_CONFD_DIR="$T/conf.d" -- print-config
expect_refused "conf.d file $T/conf.d/zero.env: \"$T/conf.d/zero.env\" is a character device"
echo ok
