#!/usr/bin/env bash
# Starts, idempotently, the docker suite's own private dockerd (never the host's daemon) and
# imports the busybox test image into it. The daemon has its own socket, data root and exec
# root under /var/tmp/volback-it-docker, no bridge and no iptables rules, so test containers
# run with --network none and nothing here touches the host's networking.
#
# Also listens on tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TCP_PORT (default 23750) for the
# DOCKER_HOST=tcp:// scenario, and starts a second private daemon, a single-node Swarm manager
# (its own socket under /var/tmp/volback-it-swarm, swarm port 127.0.0.1:23770).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/docker_env.sh"

command -v dockerd >/dev/null || { echo "dockerd not found (Debian package docker.io)"; exit 1; }
command -v busybox >/dev/null || { echo "busybox not found (Debian package busybox-static)"; exit 1; }

start_daemon() {  # DIR SOCKET [extra dockerd args...]
  local dir=$1 sock=$2
  shift 2
  if docker -H "unix://$sock" version >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$dir"
  if [[ -f $dir/dockerd.pid ]] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
    kill "$(cat "$dir/dockerd.pid")" || true
    for _ in $(seq 50); do kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$sock"
  # containerd is started by dockerd itself (its own instance under the exec root).
  setsid nohup dockerd --host "unix://$sock" "$@" --data-root "$dir/root" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --bridge none --iptables=false --ip6tables=false \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 150); do
    docker -H "unix://$sock" version >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "dockerd at $sock did not come up:"
  tail -n 30 "$dir/dockerd.log"
  exit 1
}

import_image() {  # SOCKET
  local sock=$1
  docker -H "unix://$sock" image inspect "$VOLBACK_IT_IMAGE" >/dev/null 2>&1 && return 0
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/data" "$root/etc"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for a in sh ls cat echo sleep mkdir sha256sum wc date id hostname touch false true rm test env; do
    ln -s busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker -H "unix://$sock" import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$VOLBACK_IT_IMAGE" >/dev/null
  rm -rf "$root"
}

start_daemon "$VOLBACK_IT_DOCKER_DIR" "$VOLBACK_IT_DOCKER_SOCK" --host "tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TCP_PORT"
import_image "$VOLBACK_IT_DOCKER_SOCK"
echo "dockerd ready at $VOLBACK_IT_DOCKER_SOCK (API $(docker -H "unix://$VOLBACK_IT_DOCKER_SOCK" version -f '{{.Server.APIVersion}}'))"

# The second daemon is a single-node Swarm manager, for the Swarm scenarios. Its services use
# the host network namespace (a Swarm service cannot use "none") and only sleep.
start_daemon "$VOLBACK_IT_SWARM_DIR" "$VOLBACK_IT_SWARM_SOCK"
import_image "$VOLBACK_IT_SWARM_SOCK"
if [[ $(docker -H "unix://$VOLBACK_IT_SWARM_SOCK" info -f '{{.Swarm.LocalNodeState}}') != active ]]; then
  docker -H "unix://$VOLBACK_IT_SWARM_SOCK" swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:23770 >/dev/null
fi
echo "swarm manager ready at $VOLBACK_IT_SWARM_SOCK"
