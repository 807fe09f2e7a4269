# shellcheck shell=bash
# The server is killed while the archive is being uploaded (a labelled container stopped,
# so the upload tails the local archive): volback exits non-zero, the container runs, no
# complete-looking object exists, and with the server back the next run succeeds and
# removes what the interrupted upload left.
. "$REPO_ROOT/tests/integration/docker/docker_lib.sh"

restore_server() { server_start >/dev/null 2>&1 || true; }
previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'restore_server; '"${previous_trap:-true}" EXIT

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
make_random_file "$SRC/app/big.bin" $((400 * 1024 * 1024))
step "backup in the background; the server dies once the upload is under way"
start_volback_bg "${BACKEND_ENV[@]}" DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" \
  BACKUP_COMPRESSION=none LOG_LEVEL=debug
wait_for_upload
server_kill
rc=0
wait "$FROZEN_PID" || rc=$?
FROZEN_PID=
VOLBACK_RC=$rc
grep -v 'level=DEBUG' "$VOLBACK_LOG" | tail -n 15
((rc != 0)) || fail "volback succeeded without its server"
grep -q 'level=ERROR' "$VOLBACK_LOG" || fail "no error logged"
assert_running app

step "the server is back: no object"
server_start
assert_eq "" "$(remote_keys)" "objects after the failed run"
echo "left by the interrupted upload: $(remote_leftovers | tr '\n' ' ')"
for journal in "$VOLBACK_STATE_DIR"/*-stale-uploads; do
  [[ -f $journal ]] && echo "recorded in ${journal##*/}: $(cut -f2 "$journal" | tr '\n' ' ')"
done

step "the next run succeeds and removes the leftovers"
rm -f "$SRC/app/big.bin" "$ARCHIVE"/*
printf 'small\n' >"$SRC/app/small.txt"
run_docker_backup "${BACKEND_ENV[@]}"
assert_success
assert_eq "" "$(remote_leftovers)" "partial uploads after the next run"
for journal in "$VOLBACK_STATE_DIR"/*-stale-uploads; do
  [[ ! -e $journal ]] || fail "the next run left ${journal##*/}: $(cat "$journal")"
done
[[ $(remote_keys | wc -l) == 1 ]] || fail "expected the one new backup, found: $(remote_keys)"
assert_running app
echo "PASS"
