#!/usr/bin/env bash
# Docker over TLS: DOCKER_HOST=tcp://127.0.0.1:PORT of a dockerd started with --tlsverify,
# DOCKER_CERT_PATH with ca.pem, cert.pem and key.pem signed by the test CA, DOCKER_TLS_VERIFY=1.
# The labelled container is stopped and restarted through TLS. A CA that did not sign the
# daemon's certificate, or no client certificate, fails the run and stops nothing; a
# DOCKER_TLS_VERIFY without DOCKER_CERT_PATH is exit 2.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/docker_lib.sh"

dkt() { docker -H "unix://$VOLBACK_IT_DOCKER_TLS_SOCK" "$@"; }
dkt version >/dev/null 2>&1 || fail "the TLS dockerd is not running (tests/integration/docker/services.sh)"
tls_host=tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TLS_PORT
certs=$VOLBACK_IT_DOCKER_TLS_DIR/certs/client
name=$IT_ID-tls
tls_cleanup() { dkt rm -f "$name" >/dev/null 2>&1 || true; }
previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'tls_cleanup; '"${previous_exit_trap:-true}" EXIT

mkdir -p "$SRC/app" && echo tls >"$SRC/app/file.txt"
dkt run -d --name "$name" --network none --label "docker-volume-backup.stop-during-backup=$LABEL" \
  "$VOLBACK_IT_IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait; done' >/dev/null ||
  fail "docker run on the TLS daemon failed"
tls_events() { dkt events --since "$1" --until "$(date +%s.%N)" --filter "container=$name" --format '{{.Action}}' |
  grep -E '^(die|start)$' || true; }

step "TLS with a client certificate, the daemon verified"
t0=$(date +%s.%N)
run_volback DOCKER_HOST="$tls_host" DOCKER_CERT_PATH="$certs" DOCKER_TLS_VERIFY=1 \
  BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
assert_success
assert_contains "Stopping 1 out of 1 running container(s)"
assert_eq "$(printf 'die\nstart')" "$(tls_events "$t0")" "docker events on the TLS daemon"
assert_eq true "$(dkt inspect -f '{{.State.Running}}' "$name")" "container running"
list_archive "$(single_archive "$ARCHIVE")" >"$T/members" && grep -q 'app/file.txt$' "$T/members" || fail "app/file.txt not in the archive"
rm -f "$ARCHIVE"/*

step "a CA that did not sign the daemon's certificate: the run fails, nothing stopped"
mkdir -p "$T/other"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/other/ca-key.pem" 2>/dev/null
openssl req -x509 -new -key "$T/other/ca-key.pem" -subj /CN=other -days 1 -out "$T/other/ca.pem"
cp "$certs/cert.pem" "$certs/key.pem" "$T/other/"
t1=$(date +%s.%N)
run_volback DOCKER_HOST="$tls_host" DOCKER_CERT_PATH="$T/other" DOCKER_TLS_VERIFY=1 \
  BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
assert_exit 1
assert_contains "tcp://127.0.0.1:$VOLBACK_IT_DOCKER_TLS_PORT (TLS)"
assert_eq "" "$(tls_events "$t1")" "docker events"
assert_empty_dir "$ARCHIVE"

step "plain HTTP to the TLS port: the run fails, nothing stopped"
run_volback DOCKER_HOST="$tls_host" BACKUP_STOP_DURING_BACKUP_LABEL="$LABEL"
assert_exit 1
assert_eq "" "$(tls_events "$t1")" "docker events"

step "DOCKER_TLS_VERIFY without DOCKER_CERT_PATH is exit 2"
run_volback DOCKER_HOST="$tls_host" DOCKER_TLS_VERIFY=1
assert_exit 2
assert_contains "DOCKER_CERT_PATH"
