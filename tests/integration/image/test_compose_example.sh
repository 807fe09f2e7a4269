#!/usr/bin/env bash
# examples/compose.yml, run by Debian's docker-compose against the private dockerd with an
# override that only adapts it to the test machine: volback's image as built here, the test
# S3 server (through the variables the example reads), the private dockerd's socket, host and
# no networking, this test's stop label and container name, and a busybox stand-in for the
# example's postgres. `docker exec … backup` archives all seven volumes of the reference
# deployment to S3, stopping and restarting the labelled database.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"
require_tool docker-compose docker-compose

ensure_image
VB=$IT_ID-volume-backup
cat >"$T/override.yml" <<YAML
services:
  volume-backup:
    image: $VOLBACK_IT_VOLBACK_IMAGE
    container_name: $VB
    network_mode: host
    labels:
      - volback-it=$IT_ID
    environment:
      BACKUP_STOP_DURING_BACKUP_LABEL: "$LABEL"
    volumes:
      - $VOLBACK_IT_DOCKER_SOCK:/var/run/docker.sock:ro
  database:
    image: $VOLBACK_IT_IMAGE
    container_name: $IT_ID-database
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; n=0; while :; do n=\$\$((n + 1)); echo \$\$n >>/var/lib/postgresql/data/log; sleep 0.2 & wait; done"]
    labels:
      - docker-volume-backup.stop-during-backup=$LABEL
      - volback-it=$IT_ID
YAML
compose() {
  BACKUP_S3_BUCKET_NAME=$BUCKET BACKUP_S3_ENDPOINT=$S3_ENDPOINT BACKUP_S3_ACCESS_KEY_ID=$S3_ACCESS \
    BACKUP_S3_SECRET_ACCESS_KEY=$S3_SECRET DOCKER_HOST=unix://$VOLBACK_IT_DOCKER_SOCK \
    docker-compose -p "$IT_ID" -f "$REPO_ROOT/examples/compose.yml" -f "$T/override.yml" "$@"
}
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'compose down -v >/dev/null 2>&1 || true; '"${previous_exit_trap:-true}" EXIT

compose config -q || fail "docker-compose rejects examples/compose.yml"
compose up -d --no-build 2>&1 || fail "docker-compose up failed"
wait_for_container_log volume-backup 'Successfully scheduled backup'
db_dir=$(dk inspect -f '{{range .Mounts}}{{if eq .Destination "/var/lib/postgresql/data"}}{{.Source}}{{end}}{{end}}' "$IT_ID-database")
for _ in $(seq 50); do [[ -s $db_dir/log ]] && break; sleep 0.1; done

t0=$(now_ns)
start=$(date +%s%N)
rc=0
dk exec "$VB" backup >"$T/exec.out" 2>&1 || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$T/exec.out"
echo "docker exec $VB backup: exit $rc in $((ms / 1000)).$(printf %03d $((ms % 1000)))s"
assert_eq 0 "$rc" "exit code of docker exec backup"
assert_contains 'msg="Finished running backup tasks."' "$T/exec.out"
assert_eq "$(printf 'die database\nstart database')" "$(events_since "$t0")" "docker events"
assert_running database

mapfile -t keys < <(s3_keys)
[[ ${#keys[@]} == 1 ]] || fail "expected one object in S3, got: ${keys[*]}"
fetch_object "${keys[0]}" "$T/x"
for v in supabase-db-data supabase-storage n8n_storage langconnect_storage mcp_server_storage \
  windmill_db_data db-config; do
  assert_dir "$T/x/backup/$v"
done
assert_eq "backup/db-config backup/langconnect_storage backup/mcp_server_storage backup/n8n_storage backup/supabase-db-data backup/supabase-storage backup/windmill_db_data" \
  "$(cd "$T/x" && echo backup/*)" "the archived volumes"
n=$(wc -l <"$T/x/backup/supabase-db-data/log")
assert_eq "$(seq "$n")" "$(cat "$T/x/backup/supabase-db-data/log")" "the database's log in the archive"
dk exec "$VB" volback healthcheck || fail "healthcheck failed after the backup"
echo PASS
