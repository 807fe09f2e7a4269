#!/usr/bin/env bash
# Containers stopped, no local backend, and S3 refuses every upload connection (a proxy
# resets all but the preflight's): the run fails (exit 1), the container is restarted, no
# object and no incomplete upload remain, and the spool is removed.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"

port=$(free_port)
resets=()
for n in $(seq 2 30); do resets+=(--reset "$n"); done
start_proxy "$port" "${resets[@]}"
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'stop_proxy; '"${previous_exit_trap:-true}" EXIT

run_container app --label "docker-volume-backup.stop-during-backup=$LABEL"
make_random_file "$SRC/app/data.bin" $((12 * 1024 * 1024))
mkdir -p "$T/spool"
t0=$(now_ns)
run_docker_backup "${S3_ENV[@]}" AWS_ENDPOINT="http://127.0.0.1:$port" BACKUP_ARCHIVE="$T/none" \
  VOLBACK_SPOOL_DIR="$T/spool" BACKUP_COMPRESSION=none AWS_PART_SIZE=5 AWS_RETRY_ATTEMPTS=2
assert_exit 1
assert_eq "$(printf 'die app\nstart app')" "$(events_since "$t0")" "docker events"
assert_running app
assert_empty_dir "$T/spool"
[[ -z $(s3_keys) ]] || fail "an object appeared"
[[ -z $(s3_uploads) ]] || fail "an incomplete upload remains: $(s3_uploads)"
echo "PASS"
