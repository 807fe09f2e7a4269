# shellcheck shell=bash
# Helpers of the image suite, sourced by each test after ../lib.sh:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#   . "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"
#
# It brings in the s3 suite's helpers (Swift on 127.0.0.1, /usr/bin/aws, a bucket per test:
# $BUCKET, s3_keys) and the docker suite's (the private dockerd: dk, $IT_ID, $LABEL, events,
# the freeze helpers), waits for volback's image (built by services.sh from the repository's
# Dockerfile), and starts the test stack as the reference deployment runs it: volback in its
# image beside labelled containers, with named volumes under /backup/*, the Docker socket and
# a state volume. volback's container uses the host network to reach Swift on 127.0.0.1;
# every other container has none.
here_image=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../s3/s3lib.sh
. "$here_image/../s3/s3lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$here_image/../docker/docker_lib.sh"
# shellcheck source=image_env.sh
. "$here_image/image_env.sh"

dk image inspect "$VOLBACK_IT_BASE_IMAGE" >/dev/null 2>&1 ||
  skip "no $VOLBACK_IT_BASE_IMAGE in the private dockerd (run tests/integration/image/services.sh)"

# Named volumes of this test carry the label too; removed after the containers.
image_cleanup() {
  local vols
  vols=$(dk volume ls -q --filter "label=volback-it=$IT_ID" 2>/dev/null || true)
  [[ -z $vols ]] || dk volume rm -f $vols >/dev/null 2>&1 || true
}
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap "${previous_exit_trap:-true}"'; image_cleanup' EXIT

# ensure_image — waits for the image that services.sh builds in the background (the
# Dockerfile with the classic builder, the build container on the host network to reach the
# Debian mirror) and fails with its log if that build failed. When services.sh has not built
# it (no image-build.rc), it builds the image itself. The build log is copied to image-build.log.
ensure_image() {
  local start=$SECONDS cache=$VOLBACK_IT_IMAGE_CACHE rc
  if [[ -e $cache/image-build.lock ]]; then
    flock -w 840 "$cache/image-build.lock" true || fail "the background image build did not finish"
  fi
  if [[ -f $cache/image-build.rc ]]; then
    rc=$(cat "$cache/image-build.rc")
    cp "$cache/image-build.log" "$T/image-build.log" 2>/dev/null || true
    [[ $rc == 0 ]] || { tail -n 40 "$T/image-build.log" >&2; fail "docker build failed (exit $rc)"; }
    echo "image built by services.sh (waited $((SECONDS - start))s)"
  else
    step "docker build --network host -t $VOLBACK_IT_VOLBACK_IMAGE"
    dk build --network host -t "$VOLBACK_IT_VOLBACK_IMAGE" "$REPO_ROOT" >"$T/image-build.log" 2>&1 ||
      { tail -n 40 "$T/image-build.log" >&2; fail "docker build failed"; }
    echo "image built in $((SECONDS - start))s"
  fi
  dk image inspect "$VOLBACK_IT_VOLBACK_IMAGE" >/dev/null 2>&1 || fail "no image $VOLBACK_IT_VOLBACK_IMAGE"
}

# volume NAME — creates the named volume $IT_ID-NAME; prints its name.
volume() {
  dk volume create --label "volback-it=$IT_ID" "$IT_ID-$1" >/dev/null || fail "volume create $1 failed"
  echo "$IT_ID-$1"
}

# volume_path VOLUME — where the volume's data is on this machine (the private dockerd's root).
volume_path() { dk volume inspect -f '{{.Mountpoint}}' "$1"; }

# run_db NAME VOLUME [docker run options...] — a busybox "database": appends the next sequence
# number to /data/log every 0.2 s, and exits at once on SIGTERM.
run_db() {
  local name=$1 vol=$2
  shift 2
  dk run -d --name "$IT_ID-$name" --network none --label "volback-it=$IT_ID" -v "$vol:/data" "$@" \
    "$VOLBACK_IT_IMAGE" sh -c 'trap "exit 0" TERM; n=$(cat /data/log 2>/dev/null | wc -l)
      while :; do n=$((n + 1)); echo $n >>/data/log; sleep 0.2 & wait; done' \
    >/dev/null || fail "docker run $name failed"
}

# run_reader NAME VOLUME — an unlabelled container that only reads VOLUME (mounted read-only).
run_reader() {
  dk run -d --name "$IT_ID-$1" --network none --label "volback-it=$IT_ID" -v "$2:/data:ro" \
    "$VOLBACK_IT_IMAGE" sh -c 'trap "exit 0" TERM; while :; do cat /data/log >/dev/null 2>&1; sleep 1 & wait; done' \
    >/dev/null || fail "docker run $1 failed"
}

# S3 settings as the volback container sees them (host network: Swift on 127.0.0.1).
VB_S3_ENV=(-e "AWS_S3_BUCKET_NAME=$BUCKET" -e "AWS_ENDPOINT=$S3_ENDPOINT"
  -e "AWS_ACCESS_KEY_ID=$S3_ACCESS" -e "AWS_SECRET_ACCESS_KEY=$S3_SECRET")

# run_volback_container NAME [docker run options...] — volback's image with its own entrypoint
# (the daemon), the S3 settings, this test's stop label, the host network and a state volume
# ($IT_ID-NAME-state on /var/lib/volback). Options add volumes, -e settings, --user, ...
run_volback_container() {
  local name=$1
  shift
  local state
  state=$(dk volume inspect -f '{{.Name}}' "$IT_ID-$name-state" 2>/dev/null) || state=$(volume "$name-state")
  dk run -d --name "$IT_ID-$name" --network host --label "volback-it=$IT_ID" \
    -v "$state:/var/lib/volback" "${VB_S3_ENV[@]}" -e "BACKUP_STOP_DURING_BACKUP_LABEL=$LABEL" \
    "$@" "$VOLBACK_IT_VOLBACK_IMAGE" >/dev/null || fail "docker run of the volback image ($name) failed"
}

# The docker socket for a volback container: the private dockerd's, where Docker expects it.
# shellcheck disable=SC2034
VB_SOCKET=(-v "$VOLBACK_IT_DOCKER_SOCK:/var/run/docker.sock")

# container_log NAME — the container's output (volback logs on stderr).
container_log() { dk logs "$IT_ID-$1" 2>&1; }

# wait_for_container_log NAME NEEDLE [SECONDS] — until the container's log contains NEEDLE.
wait_for_container_log() {
  local i
  for ((i = 0; i < ${3:-60} * 5; i++)); do
    container_log "$1" | grep -F -- "$2" >/dev/null && return 0
    sleep 0.2
  done
  container_log "$1" | tail -n 30 >&2
  fail "container $1 did not log '$2' within ${3:-60} s"
}

# fetch_object KEY DIR — downloads the S3 object and extracts it with GNU tar into DIR.
fetch_object() {
  aws s3 cp --only-show-errors "s3://$BUCKET/$1" "$T/$1" || fail "cannot download $1"
  extract_archive "$T/$1" "$2"
}
