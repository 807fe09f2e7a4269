#!/usr/bin/env bash
# Scenario 6, on the suite's Swarm manager: a service labelled through its deploy labels, with 2
# replicas, is scaled to 0 for the archive and back to 2; a labelled container whose parent
# service is labelled too (the collision rule) fails the run with nothing stopped and no archive.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

sw() { docker -H "unix://$VOLBACK_IT_SWARM_SOCK" "$@"; }
sw info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null | grep -qx active ||
  skip "the suite's Swarm manager is not running at $VOLBACK_IT_SWARM_SOCK (run services.sh)"
swarm_cleanup() {
  local ids
  ids=$(sw service ls -q --filter "label=volback-it=$IT_ID" 2>/dev/null || true)
  [[ -z $ids ]] || sw service rm $ids >/dev/null 2>&1 || true
}
trap 'swarm_cleanup; docker_cleanup' EXIT

# make_service NAME [options...] — a replicated service whose tasks trap SIGTERM, with
# $SRC/NAME bind-mounted at /data.
make_service() {
  local name=$1
  shift
  mkdir -p "$SRC/$name"
  sw service create --detach --name "$IT_ID-$name" --network host --restart-condition on-failure \
    --label "volback-it=$IT_ID" --container-label "volback-it=$IT_ID" \
    --mount "type=bind,src=$SRC/$name,dst=/data" "$@" \
    "$VOLBACK_IT_IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait; done' >/dev/null ||
    fail "service create $name failed"
}
# running_tasks NAME — how many of the service's containers run on this node.
running_tasks() { sw ps -q --filter "label=com.docker.swarm.service.name=$IT_ID-$1" | wc -l; }
wait_for_tasks() {  # NAME COUNT
  local i
  for ((i = 0; i < 300; i++)); do
    [[ $(running_tasks "$1") == "$2" ]] && return 0
    sleep 0.1
  done
  fail "service $1 did not reach $2 running task(s) within 30 s"
}
swarm_events_since() {  # T0 — die/start of this test's containers
  sw events --since "$1" --until "$(now_ns)" --filter "label=volback-it=$IT_ID" \
    --filter event=die --filter event=start --format '{{.Action}}'
}

make_service app --replicas 2 --label "docker-volume-backup.stop-during-backup=$LABEL"
echo swarm >"$SRC/app/file.txt"
wait_for_tasks app 2

t0=$(now_ns)
run_docker_backup DOCKER_HOST="unix://$VOLBACK_IT_SWARM_SOCK"
assert_success
assert_log_line INFO "Scaling down 1 out of"
assert_log_line INFO "Scaled 1 out of 1 scaled down service(s) back up."
# Both tasks died before the archive was written (the run waits for 0 running tasks).
assert_eq "die die" "$(swarm_events_since "$t0" | head -n 2 | xargs)" "first events of the run"
assert_eq 2 "$(sw service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "$IT_ID-app")" "replicas after the run"
wait_for_tasks app 2
list_archive "$(single_archive "$ARCHIVE")" >"$T/members" && grep -q 'app/file.txt$' "$T/members" || fail "app/file.txt not in the archive"
assert_no_file "$VOLBACK_STATE_DIR/docker-stopped.json"

step "the collision rule"
rm -f "$ARCHIVE"/*
make_service web --replicas 1 --label "docker-volume-backup.stop-during-backup=anything" \
  --container-label "docker-volume-backup.stop-during-backup=$LABEL"
wait_for_tasks web 1
t1=$(now_ns)
run_docker_backup DOCKER_HOST="unix://$VOLBACK_IT_SWARM_SOCK"
[[ $VOLBACK_RC != 0 ]] || fail "the collision did not fail the run"
assert_contains "which is also labelled, cannot continue"
assert_eq "" "$(swarm_events_since "$t1" | xargs)" "events of the failed run"
assert_empty_dir "$ARCHIVE"
assert_eq 1 "$(running_tasks web)" "web tasks running"
assert_eq 2 "$(running_tasks app)" "app tasks running"
