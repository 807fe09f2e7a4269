#!/usr/bin/env bash
# Scenario 1: one labelled and one unlabelled container. The labelled one dies and starts again
# around the archive; the other sees no event; both run afterwards; the archive holds the
# volume's file. Prints the labelled container's downtime against the archive's duration.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
run_container other
echo "payload $IT_ID" >"$SRC/app/file.txt"
make_random_file "$SRC/app/bulk.bin" $((8 * 1024 * 1024))

t0=$(now_ns)
run_docker_backup
assert_success
assert_log_line INFO "Stopping 1 out of"
assert_log_line INFO "Restarted 1 out of 1 stopped container(s)."

assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
assert_running other

archive=$(single_archive "$ARCHIVE")
extract_archive "$archive" "$T/x"
assert_eq "payload $IT_ID" "$(cat "$(extracted_source "$T/x")/app/file.txt")" "file in the archive"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"

die_ns=$(event_time "$t0" die app)
start_ns=$(event_time "$t0" start app)
duration=$(grep -o 'duration=[0-9.]*s' "$VOLBACK_LOG" | tail -n1 | cut -d= -f2)
downtime=$(awk -v a="$die_ns" -v b="$start_ns" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
echo "DOWNTIME: labelled container down ${downtime}s (die to start); whole backup took ${duration} (archive of $(du -sh "$SRC" | cut -f1))"
