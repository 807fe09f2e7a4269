# shellcheck shell=bash
# Helpers of the docker suite, sourced by each test after ../lib.sh:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#   . "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"
#
# Every test talks only to the suite's private dockerd (services.sh), names its containers
# with a prefix of its own, labels them volback-it=$IT_ID, and uses a stop-label value of its
# own ($LABEL), so tests never touch each other's containers. Containers are removed when the
# test ends.
here_docker=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here_docker/docker_env.sh"

require_tool docker docker.io
require_root
docker -H "unix://$VOLBACK_IT_DOCKER_SOCK" version >/dev/null 2>&1 ||
  skip "the suite's dockerd is not running at $VOLBACK_IT_DOCKER_SOCK (run tests/integration/docker/services.sh)"

IT_ID=$(basename "$T" | tr -c 'a-zA-Z0-9\n' '-' | tr 'A-Z' 'a-z')
IT_ID=${IT_ID:0:32}-$$  # the pid keeps it unique among runs, so it is never cut
LABEL=it-$IT_ID
export DOCKER_HOST=unix://$VOLBACK_IT_DOCKER_SOCK

dk() { docker -H "unix://$VOLBACK_IT_DOCKER_SOCK" "$@"; }

docker_cleanup() {
  local ids
  ids=$(dk ps -aq --filter "label=volback-it=$IT_ID" 2>/dev/null || true)
  [[ -z $ids ]] || dk rm -f $ids >/dev/null 2>&1 || true
  [[ -z ${FROZEN_PID:-} ]] || kill -KILL "$FROZEN_PID" 2>/dev/null || true
}
# lib.sh may already trap EXIT (a test started by hand); run both.
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'docker_cleanup; '"${previous_exit_trap:-true}" EXIT

# run_container NAME [docker run options...] — a container that traps SIGTERM (so a stop takes
# milliseconds) with $SRC/NAME bind-mounted at /data; prints nothing. Its full name is
# $IT_ID-NAME.
run_container() {
  local name=$1
  shift
  mkdir -p "$SRC/$name"
  dk run -d --name "$IT_ID-$name" --network none --label "volback-it=$IT_ID" -v "$SRC/$name:/data" "$@" \
    "$VOLBACK_IT_IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait; done' >/dev/null ||
    fail "docker run $name failed"
}

# run_slow_container NAME [options...] — like run_container, but ignores SIGTERM: a stop waits
# for the stop timeout (--stop-timeout) and then kills it.
run_slow_container() {
  local name=$1
  shift
  mkdir -p "$SRC/$name"
  dk run -d --name "$IT_ID-$name" --network none --label "volback-it=$IT_ID" -v "$SRC/$name:/data" "$@" \
    "$VOLBACK_IT_IMAGE" sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null ||
    fail "docker run $name failed"
}

# is_running NAME — "true" or "false".
is_running() { dk inspect -f '{{.State.Running}}' "$IT_ID-$1"; }

assert_running() { assert_eq true "$(is_running "$1")" "container $1 running"; }
assert_stopped() { assert_eq false "$(is_running "$1")" "container $1 running"; }

# now_ns — the daemon-comparable time to give events_since.
now_ns() { date +%s.%N; }

# events_since T0 — the die/start/stop events of this test's containers since T0 until now,
# one "ACTION NAME" line each, in order (names without the $IT_ID- prefix).
events_since() {
  dk events --since "$1" --until "$(now_ns)" --filter "label=volback-it=$IT_ID" \
    --filter event=die --filter event=start --format '{{.Action}} {{.Actor.Attributes.name}} {{.TimeNano}}' |
    sed "s/ $IT_ID-/ /" | cut -d' ' -f1,2
}

# event_time T0 ACTION NAME — the time (ns) of the first such event since T0.
event_time() {
  dk events --since "$1" --until "$(now_ns)" --filter "label=volback-it=$IT_ID" --filter "event=$2" \
    --format '{{.Actor.Attributes.name}} {{.TimeNano}}' | awk -v n="$IT_ID-$3" '$1 == n { print $2; exit }'
}

# ---------------------------------------------------------------------------------------------
# Freezing volback at a deterministic point.
#
# start_volback_bg [VAR=VALUE]... [-- ARGS...] — starts `volback backup` (or `volback ARGS`)
#   like run_volback, in the background; FROZEN_PID is its pid.
# wait_for_event T0 ACTION NAME — waits (no fixed sleep: it polls the daemon's event log, up to
#   60 s) until the container NAME has had ACTION since T0.
# wait_for_log NEEDLE — waits until volback's log ($VOLBACK_LOG) contains NEEDLE.
# freeze — SIGSTOP volback. kill_frozen — SIGKILL it and reap it. term_frozen — SIGTERM then
#   SIGCONT, and wait for it; VOLBACK_RC is its exit status.
start_volback_bg() {
  local -a assigns=() args=(backup)
  while (($#)); do
    if [[ $1 == -- ]]; then
      shift
      args=("$@")
      break
    fi
    assigns+=("$1")
    shift
  done
  local -a base=(
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    HOME="$T" TZ=UTC
    VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR"
    BACKUP_SOURCES="$SRC" BACKUP_ARCHIVE="$ARCHIVE" DOCKER_HOST="$DOCKER_HOST"
  )
  VOLBACK_RUNS=$((VOLBACK_RUNS + 1))
  open_volback_streams "$VOLBACK_BIN" "${args[@]}"
  env -i "${base[@]}" "${assigns[@]}" "$VOLBACK_BIN" "${args[@]}" \
    >&"$VOLBACK_FD_OUT" 2>&"$VOLBACK_FD_ERR" {VOLBACK_FD_OUT}>&- {VOLBACK_FD_ERR}>&- </dev/null &
  FROZEN_PID=$!
  close_volback_streams
}

wait_for_event() {
  local t0=$1 action=$2 name=$3 i
  for ((i = 0; i < 600; i++)); do
    [[ -n $(event_time "$t0" "$action" "$name") ]] && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before the $action of $name"
    sleep 0.1
  done
  fail "no $action event for $name within 60 s"
}

wait_for_log() {
  local i
  for ((i = 0; i < 600; i++)); do
    grep -qF -- "$1" "$VOLBACK_LOG" 2>/dev/null && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before logging '$1'"
    sleep 0.1
  done
  fail "volback did not log '$1' within 60 s"
}

freeze() { kill -STOP "$FROZEN_PID"; }

kill_frozen() {
  kill -KILL "$FROZEN_PID"
  wait "$FROZEN_PID" 2>/dev/null || true
  FROZEN_PID=
  cp "$VOLBACK_LOG" "$T/logs/run-$VOLBACK_RUNS.log"
}

term_frozen() {
  kill -TERM "$FROZEN_PID"
  kill -CONT "$FROZEN_PID"
  VOLBACK_RC=0
  wait "$FROZEN_PID" || VOLBACK_RC=$?
  FROZEN_PID=
  cp "$VOLBACK_LOG" "$T/logs/run-$VOLBACK_RUNS.log"
}

# run_docker_backup [VAR=VALUE]... — run_volback with this test's daemon and label value.
run_docker_backup() {
  run_volback DOCKER_HOST="$DOCKER_HOST" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL" "$@"
}
