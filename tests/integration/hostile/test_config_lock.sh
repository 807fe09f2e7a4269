#!/usr/bin/env bash
# The lock file: created 0600 whatever the umask (flock needs only an open descriptor, so any
# user who can open it can hold it and block backups); an existing lock owned by volback's user
# that others can open is set back to 0600; a lock owned by another user, or held by a process
# of another user, is reported with that user (and the holder's pid). Exit codes stay as they
# were: 1 for a lock that cannot be opened or stays held.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_root
require_tool setpriv util-linux
require_tool perl perl-base
printf 'data\n' >"$SRC/file.txt"
lock=$VOLBACK_LOCK_FILE

step "created with mode 0600 under umask 000"
rm -f "$lock"
(umask 000 && run_volback BACKUP_FILENAME=first.tar.gz && assert_success)
assert_eq 600 "$(stat -c %a "$lock")" "mode of a new lock file"

step "an existing 0666 lock file of ours is set to 0600, with a warning"
chmod 0666 "$lock"
run_volback BACKUP_FILENAME=second.tar.gz
assert_success
assert_eq 600 "$(stat -c %a "$lock")" "mode after the run"
assert_log_line WARN "its mode is now 0600"
rm -f "$ARCHIVE"/*

# Everything below runs volback as nobody (65534).
chmod 755 "$T"
chmod 777 "$ARCHIVE" "$T/run"
mkdir -p "$VOLBACK_STATE_DIR"
chown 65534:65534 "$VOLBACK_STATE_DIR"
mkdir -p "$T/bin"
cp "$VOLBACK_BIN" "$T/bin/volback"
chmod 755 "$T/bin" "$T/bin/volback"
VOLBACK_EXE=$T/bin/volback
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

step "a lock file of another user that nobody cannot open: the owner is named, exit 1"
chown 0:0 "$lock"
chmod 0600 "$lock"
VOLBACK_WRAPPER=("${nobody[@]}")
run_volback LOCK_TIMEOUT=1s BACKUP_FILENAME=blocked.tar.gz
assert_exit 1
assert_contains "opening lock file $lock: Permission denied: the lock file belongs to uid 0"
assert_contains "with mode 0600, and volback runs as uid 65534"
assert_empty_dir "$ARCHIVE"

step "a lock of nobody's, held by a process of another user (root): holder named, exit 1"
chown 65534:65534 "$lock"
chmod 0644 "$lock"  # readable: enough for root to hold the flock
# One process that opens the file read-only, takes the flock and keeps it (flock(1) would
# leave the lock with a shell whose pid /proc/locks does not show).
perl -e 'use Fcntl ":flock"; open(my $f, "<", $ARGV[0]) or die "open: $!"; flock($f, LOCK_EX) or die;
  open(my $o, ">", $ARGV[1]) or die; close($o); sleep 120' "$lock" "$T/locked" &
holder=$!
trap 'kill "$holder" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -e $T/locked ]] && break; sleep 0.1; done
[[ -e $T/locked ]] || fail "the holder did not take the lock"
run_volback LOCK_TIMEOUT=1s BACKUP_FILENAME=held.tar.gz
assert_exit 1
assert_contains "timed out waiting for lockfile to become available: $lock (held by pid $holder of uid 0"
assert_contains "another user)"
assert_log_line INFO "holder=\"pid $holder of uid 0"
assert_empty_dir "$ARCHIVE"
# nobody owns the file, so its mode was fixed even though the lock was held.
assert_eq 600 "$(stat -c %a "$lock")" "mode of nobody's lock file after the run"
kill "$holder"
wait "$holder" 2>/dev/null || true

step "released: the run as nobody succeeds"
run_volback LOCK_TIMEOUT=1s BACKUP_FILENAME=after.tar.gz
assert_success
assert_file "$ARCHIVE/after.tar.gz"
VOLBACK_WRAPPER=()
echo ok
