#!/usr/bin/env bash
# The global lock between two one-shot runs: while a first `volback backup` is held in the
# middle of its archive (an LD_PRELOAD shim stalls the open of "stall.me"), a second one with
# LOCK_TIMEOUT=1s exits non-zero with the lock message and leaves no archive; the first one
# completes once released.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon_lib.sh"

build_stall_shim
printf 'data\n' >"$SRC/file.txt"
printf 'held\n' >"$SRC/stall.me"

step "first backup, held in progress"
mapfile -t base < <(daemon_env)
env -i "${base[@]}" BACKUP_FILENAME=first.tar.gz LD_PRELOAD="$STALL_SHIM" STALL_DIR="$STALL_DIR" \
  "$VOLBACK_BIN" backup >"$T/first.log" 2>&1 </dev/null &
first=$!
trap 'touch "$STALL_DIR/release"; kill -KILL $first 2>/dev/null || true' EXIT
wait_until 60 "the first backup to reach stall.me" test -e "$STALL_DIR/stalled"

step "second backup with LOCK_TIMEOUT=1s"
run_volback LOCK_TIMEOUT=1s BACKUP_FILENAME=second.tar.gz
[[ $VOLBACK_RC != 0 ]] || fail "the second backup succeeded while the first held the lock"
assert_contains "timed out waiting for lockfile to become available"
assert_no_file "$ARCHIVE/second.tar.gz"

step "release the first"
touch "$STALL_DIR/release"
rc=0
wait "$first" || rc=$?
[[ $rc == 0 ]] || { cat "$T/first.log" >&2; fail "the first backup exited $rc"; }
assert_file "$ARCHIVE/first.tar.gz"
assert_no_file "$ARCHIVE/second.tar.gz"
echo ok
