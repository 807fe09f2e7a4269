# shellcheck shell=bash
# Wrong credentials: the run fails within seconds, before anything is stopped, and nothing
# is written, neither to the backend nor to the local directory.
. "$REPO_ROOT/tests/integration/docker/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
printf 'data\n' >"$SRC/app/file.txt"
t0=$(now_ns)
start=$(date +%s)
run_docker_backup "${BAD_ENV[@]}"
elapsed=$(($(date +%s) - start))
((VOLBACK_RC != 0)) || fail "volback succeeded with wrong credentials"
((elapsed <= 10)) || fail "failing took ${elapsed}s"
grep -q 'level=ERROR' "$VOLBACK_LOG" || fail "no error logged"
assert_eq "" "$(events_since "$t0")" "docker events"
assert_running app
assert_empty_dir "$ARCHIVE"
assert_eq "" "$(remote_keys)" "objects"
assert_eq "" "$(remote_leftovers)" "partial uploads"
echo "PASS"
