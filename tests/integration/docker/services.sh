#!/usr/bin/env bash
# Starts, idempotently, the docker suite's own private dockerd (never the host's daemon) and
# imports the busybox test image into it. The daemon has its own socket, data root and exec
# root under /var/tmp/volback-it-docker, no bridge and no iptables rules, so test containers
# run with --network none and nothing here touches the host's networking.
#
# Also listens on tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TCP_PORT (default 23750) for the
# DOCKER_HOST=tcp:// scenario, and starts a second private daemon, a single-node Swarm manager
# (its own socket under /var/tmp/volback-it-swarm, swarm port 127.0.0.1:23770), and a third
# that listens on tcp://127.0.0.1:23760 with TLS only (--tlsverify, a test CA made here).
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

# make_tls_certs DIR — a test CA, a server certificate for 127.0.0.1 and a client certificate
# (P-256 keys), once.
make_tls_certs() {
  local dir=$1
  [[ -s $dir/client/key.pem ]] && return 0
  command -v openssl >/dev/null || { echo "openssl not found (Debian package openssl)"; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir/client" && (
    cd "$dir"
    newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    newkey ca-key.pem
    openssl req -x509 -new -key ca-key.pem -subj /CN=volback-it-ca -days 3650 -out ca.pem
    newkey server-key.pem
    openssl req -new -key server-key.pem -subj /CN=127.0.0.1 -out server.csr
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    newkey client/key.pem
    openssl req -new -key client/key.pem -subj /CN=volback -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem client/ca.pem
  )
}

# The TLS daemon: TCP only with --tlsverify (a client certificate signed by the test CA);
# the tests create their containers through its unix socket.
make_tls_certs "$VOLBACK_IT_DOCKER_TLS_DIR/certs"
certs=$VOLBACK_IT_DOCKER_TLS_DIR/certs
start_daemon "$VOLBACK_IT_DOCKER_TLS_DIR" "$VOLBACK_IT_DOCKER_TLS_SOCK" \
  --host "tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TLS_PORT" --tlsverify --tlscacert "$certs/ca.pem" \
  --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem"
import_image "$VOLBACK_IT_DOCKER_TLS_SOCK"
echo "TLS dockerd ready at tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TLS_PORT"

# The second daemon is a single-node Swarm manager, for the Swarm scenarios. Its services use
# the host network namespace (a Swarm service cannot use "none") and only sleep.
start_daemon "$VOLBACK_IT_SWARM_DIR" "$VOLBACK_IT_SWARM_SOCK"
import_image "$VOLBACK_IT_SWARM_SOCK"
if [[ $(docker -H "unix://$VOLBACK_IT_SWARM_SOCK" info -f '{{.Swarm.LocalNodeState}}') != active ]]; then
  docker -H "unix://$VOLBACK_IT_SWARM_SOCK" swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:23770 >/dev/null
fi
echo "swarm manager ready at $VOLBACK_IT_SWARM_SOCK"
