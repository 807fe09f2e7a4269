#!/usr/bin/env bash
# Scenario 9: the archive directory is a tiny tmpfs that fills up after the stop. The containers
# are restarted, the exit code is non-zero, and no partial archive is left.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

mount -t tmpfs -o size=256k volback-it-full "$ARCHIVE" 2>/dev/null || skip "cannot mount a tmpfs"
trap 'umount "$ARCHIVE" 2>/dev/null || true; docker_cleanup' EXIT
run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
make_random_file "$SRC/app/big.bin" $((2 * 1024 * 1024))
t0=$(now_ns)
run_docker_backup
[[ $VOLBACK_RC != 0 ]] || fail "volback succeeded on a full disk"
assert_log_line INFO "Restarted 1 out of 1 stopped container(s)."
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
assert_empty_dir "$ARCHIVE"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
