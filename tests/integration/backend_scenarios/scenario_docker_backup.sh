# shellcheck shell=bash
# A labelled container is stopped for the backup and restarted; the archive goes to the
# backend and to the local directory at once. The object is fetched with an independent
# client, is byte for byte the local archive, and extracts with GNU tar to the source.
. "$REPO_ROOT/tests/integration/docker/docker_lib.sh"

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
make_random_file "$SRC/app/data.bin" $((3 * 1024 * 1024))
printf 'hello\n' >"$SRC/app/hello.txt"
t0=$(now_ns)
run_docker_backup "${BACKEND_ENV[@]}"
assert_success
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
local_archive=$(single_archive "$ARCHIVE")
key=$(remote_keys)
assert_eq "$(basename "$local_archive")" "$key" "the object's key"
remote_fetch "$key" "$T/fetched.tar.gz"
cmp "$local_archive" "$T/fetched.tar.gz" || fail "the object differs from the local archive"
extract_archive "$T/fetched.tar.gz" "$T/x"
cmp "$SRC/app/data.bin" "$(extracted_source "$T/x")/app/data.bin" || fail "data.bin differs"
assert_eq hello "$(cat "$(extracted_source "$T/x")/app/hello.txt")" "hello.txt"
assert_eq "" "$(remote_leftovers)" "partial uploads left"
echo "PASS"
