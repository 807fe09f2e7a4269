#!/usr/bin/env bash
# SIGTERM while labelled containers are being stopped: volback is frozen at a deterministic
# point (the die of the first container, while the second one's stop is still under way),
# then gets SIGTERM and SIGCONT. It must restart both containers, exit non-zero, leave no
# archive and no crash journal.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container a-fast --label "docker-volume-backup.stop-during-backup=$LABEL"
run_slow_container b-slow --stop-timeout 3 --label "docker-volume-backup.stop-during-backup=$LABEL"
echo data >"$SRC/a-fast/file.txt"

t0=$(now_ns)
start_volback_bg BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
wait_for_event "$t0" die a-fast
freeze
term_frozen
[[ $VOLBACK_RC != 0 ]] || fail "volback exited 0 after SIGTERM"
assert_log_line INFO "Restarted 2 out of 2 stopped container(s)."
assert_running a-fast
assert_running b-slow
assert_empty_dir "$ARCHIVE"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"
