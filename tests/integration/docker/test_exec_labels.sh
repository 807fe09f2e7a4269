#!/usr/bin/env bash
# Scenario 5: exec labels. archive-pre writes dump.sql into the volume (it is in the archive);
# copy-post writes post.txt (it runs, after the archive, so it is not in it) and sees the sealed
# file as COMMAND_RUNTIME_ARCHIVE_FILEPATH; a container with another exec-label runs nothing;
# .user runs as that user; the deprecated exec-pre never runs twice; a failing archive-pre fails
# the run, stops nothing and skips archive-post.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

p=docker-volume-backup
run_container db --label "$p.stop-during-backup=$LABEL" --label "$p.exec-label=$LABEL" \
  --label "$p.archive-pre=/bin/sh -c 'echo dump > /data/dump.sql; echo forwarded-output; echo forwarded-error >&2'" \
  --label "$p.copy-post=/bin/sh -c 'echo \"\$COMMAND_RUNTIME_ARCHIVE_FILEPATH\" > /data/post.txt'"
run_container foreign --label "$p.exec-label=$LABEL-other" \
  --label "$p.archive-pre=/bin/sh -c 'touch /data/foreign.txt'"
mkdir -p "$SRC/user" && chmod 777 "$SRC/user"
run_container user --label "$p.exec-label=$LABEL" \
  --label "$p.archive-pre=/bin/sh -c 'id -u > /data/uid.txt'" --label "$p.archive-pre.user=nobody"
run_container both --label "$p.exec-label=$LABEL" \
  --label "$p.archive-pre=/bin/sh -c 'echo new >> /data/count.txt'" \
  --label "$p.exec-pre=/bin/sh -c 'echo old >> /data/count.txt'"

t0=$(now_ns)
# stdout apart from stderr for this run: $VOLBACK_LOG is volback's stdout (its log and the
# forwarded stdout), $T/forwarded.stderr its stderr.
VOLBACK_STDERR=$T/forwarded.stderr
run_docker_backup EXEC_LABEL="$LABEL" EXEC_FORWARD_OUTPUT=true
VOLBACK_STDERR=
assert_success
assert_log_line INFO "Running docker-volume-backup.archive-pre command /bin/sh -c 'echo dump"
assert_log_line INFO "for container $IT_ID-db"
archive=$(single_archive "$ARCHIVE")
members=$(list_archive "$archive")
grep -q 'db/dump.sql$' <<<"$members" || fail "dump.sql is not in the archive"
! grep -q 'db/post.txt$' <<<"$members" || fail "post.txt (copy-post) is in the archive"
assert_eq "$archive" "$(cat "$SRC/db/post.txt")" "COMMAND_RUNTIME_ARCHIVE_FILEPATH seen by copy-post"
assert_no_file "$SRC/foreign/foreign.txt"
assert_eq 65534 "$(cat "$SRC/user/uid.txt")" "uid of the .user command"
assert_eq new "$(cat "$SRC/both/count.txt")" "commands run in 'both'"
grep -qx forwarded-output "$VOLBACK_LOG" || fail "EXEC_FORWARD_OUTPUT did not forward the command's stdout to stdout"
grep -qx forwarded-error "$T/forwarded.stderr" ||
  fail "EXEC_FORWARD_OUTPUT did not forward the command's stderr to stderr"
! grep -q forwarded-output "$T/forwarded.stderr" || fail "the command's stdout went to stderr"
assert_eq "$(printf 'die db\nstart db')" "$(events_since "$t0")" "docker events"

step "a failing archive-pre fails the run, stops nothing, skips archive-post"
dk rm -f "$IT_ID-db" "$IT_ID-user" "$IT_ID-both" >/dev/null
run_container bad --label "$p.stop-during-backup=$LABEL" --label "$p.exec-label=$LABEL" \
  --label "$p.archive-pre=false" --label "$p.archive-post=/bin/sh -c 'touch /data/archive-post.txt'"
rm -f "$archive"
t1=$(now_ns)
run_docker_backup EXEC_LABEL="$LABEL"
assert_exit 1
assert_contains "running command exited 1"
assert_eq "" "$(events_since "$t1")" "docker events"
assert_no_file "$SRC/bad/archive-post.txt"
assert_empty_dir "$ARCHIVE"
assert_running bad

step "EXEC_TIMEOUT: a command past it fails its phase; the container is still restarted"
dk rm -f "$IT_ID-bad" >/dev/null
run_container slow --label "$p.stop-during-backup=$LABEL" --label "$p.exec-label=$LABEL" \
  --label "$p.archive-post=sleep 30"
t2=$(now_ns)
start=$(date +%s)
run_docker_backup EXEC_LABEL="$LABEL" EXEC_TIMEOUT=1s
assert_exit 1
assert_contains "did not finish within 1s"
(($(date +%s) - start < 20)) || fail "the run waited for the command instead of timing out"
assert_eq "$(printf 'die slow\nstart slow')" "$(events_since "$t2")" "docker events"
assert_running slow
