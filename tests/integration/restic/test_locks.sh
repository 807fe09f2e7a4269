#!/usr/bin/env bash
# volback and restic 0.14 respect each other's repository locks: while volback holds an
# exclusive lock, `restic backup` refuses with restic's "already locked" message and the
# repository stays sound; while restic holds a lock, volback's exclusive lock fails at once
# naming restic's process, and with --wait succeeds once restic is done; volback's backup
# under restic's exclusive lock fails cleanly and writes nothing.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=restic_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/restic_lib.sh"

# Background processes (restic and volback-restic-tool holding locks) end with the test.
BACKGROUND=()
stop_background() {
  local rc=$? pid
  exec 7>&- 8>&-
  for pid in "${BACKGROUND[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if declare -F cleanup_standalone >/dev/null; then
    set +e
    (exit "$rc")
    cleanup_standalone
  fi
  exit "$rc"
}
trap stop_background EXIT

# wait_for_match FILE PATTERN SECONDS — until a line of FILE matches PATTERN.
wait_for_match() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "no line matching '$2' in $1 after $3 s: $(cat "$1" 2>/dev/null)"
}

# wait_for_lock_file REPO — until REPO holds a lock file (restic took its lock).
wait_for_lock_file() {
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -n $(ls -A "$1/locks") ]] && return 0
    sleep 0.1
  done
  fail "no lock file appeared in $1/locks"
}

# count_files DIR — how many files DIR holds.
count_files() {
  find "$1" -type f | wc -l
}

# repo_files REPO — the repository's files other than locks, sorted.
repo_files() {
  (cd "$1" && find . -type f ! -path './locks/*' | LC_ALL=C sort)
}

REPO=$T/repo
printf 'locked data\n' >"$SRC/file.txt"
"$RESTIC_TOOL" init "$REPO" || fail "volback-restic-tool init failed"
"$RESTIC_TOOL" backup "$REPO" volback-host "$SRC" >/dev/null || fail "the first backup failed"

step "volback holds an exclusive lock: restic backup refuses, the repository stays sound"
mkfifo "$T/hold"
"$RESTIC_TOOL" lock "$REPO" --exclusive <"$T/hold" >"$T/lock.out" 2>"$T/lock.err" &
lock_pid=$!
BACKGROUND+=("$lock_pid")
exec 7>"$T/hold"
wait_for_match "$T/lock.out" '^locked [0-9a-f]\{64\}$' 10
restic --no-cache -r "$REPO" backup --host restic-host "$SRC" >"$T/a.out" 2>&1 &&
  fail "restic backed up into a repository volback locked exclusively"
grep -q "repository is already locked exclusively by PID $lock_pid" "$T/a.out" ||
  fail "restic did not name volback's lock: $(cat "$T/a.out")"
exec 7>&-
wait "$lock_pid" || fail "volback-restic-tool lock did not release cleanly: $(cat "$T/lock.err")"
assert_empty_dir "$REPO/locks"
rr "$REPO" check || fail "restic check after volback's lock"
assert_eq 1 "$(count_files "$REPO/snapshots")" "snapshots"

step "restic holds a lock: volback's exclusive lock fails at once, then waits for it"
mkfifo "$T/feed"
restic --no-cache -q -r "$REPO" backup --host restic-host --stdin --stdin-filename fed.txt <"$T/feed" &
restic_pid=$!
BACKGROUND+=("$restic_pid")
exec 8>"$T/feed"
wait_for_lock_file "$REPO"
"$RESTIC_TOOL" lock "$REPO" --exclusive </dev/null >"$T/b.out" 2>"$T/b.err" &&
  fail "volback locked a repository restic was backing up"
grep -q "repository is already locked by PID $restic_pid on $(uname -n) by " "$T/b.err" ||
  fail "no clear message naming restic's lock: $(cat "$T/b.err")"
[[ ! -s $T/b.out ]] || fail "volback-restic-tool printed: $(cat "$T/b.out")"
assert_eq 1 "$(count_files "$REPO/locks")" "locks (restic's alone)"

mkfifo "$T/hold2"
"$RESTIC_TOOL" lock "$REPO" --exclusive --wait 30 <"$T/hold2" >"$T/wait.out" 2>"$T/wait.err" 8>&- &
wait_pid=$!
BACKGROUND+=("$wait_pid")
exec 7>"$T/hold2"
sleep 1
[[ ! -s $T/wait.out ]] || fail "volback took its lock while restic held one: $(cat "$T/wait.out")"
echo "data restic reads from stdin" >&8
exec 8>&-
wait "$restic_pid" || fail "restic backup --stdin failed"
wait_for_match "$T/wait.out" '^locked ' 15
exec 7>&-
wait "$wait_pid" || fail "volback-restic-tool lock --wait failed: $(cat "$T/wait.err")"
assert_empty_dir "$REPO/locks"
assert_eq 2 "$(count_files "$REPO/snapshots")" "snapshots"

step "restic holds an exclusive lock: volback's backup fails cleanly and writes nothing"
mkfifo "$T/new-password"
restic --no-cache -q -r "$REPO" key passwd --new-password-file "$T/new-password" 7>&- 8>&- &
restic_pid=$!
BACKGROUND+=("$restic_pid")
wait_for_lock_file "$REPO"
before=$(repo_files "$REPO")
printf 'changed\n' >"$SRC/file.txt"
"$RESTIC_TOOL" backup "$REPO" volback-host "$SRC" >"$T/c.out" 2>"$T/c.err" &&
  fail "volback backed up into a repository restic locked exclusively"
grep -q "repository is already locked exclusively by PID $restic_pid" "$T/c.err" ||
  fail "no clear message naming restic's exclusive lock: $(cat "$T/c.err")"
assert_eq "$before" "$(repo_files "$REPO")" "the repository's files"
assert_eq 1 "$(count_files "$REPO/locks")" "locks (restic's alone)"
printf '%s\n' "$RESTIC_PASSWORD" >"$T/new-password"
wait "$restic_pid" || fail "restic key passwd failed"
assert_empty_dir "$REPO/locks"
rr "$REPO" check || fail "restic check after volback's refused backup"
assert_eq 2 "$(count_files "$REPO/snapshots")" "snapshots"
