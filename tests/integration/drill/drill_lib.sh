# shellcheck shell=bash
# Helpers of the drill suite, sourced by each test after ../lib.sh and ../docker/docker_lib.sh.
#
# start_pg NAME [docker run options...] — a PostgreSQL 15 container $IT_ID-NAME on a data
#   directory $SRC/NAME (made with initdb on the host), labelled for stopping with $LABEL, run
#   as the postgres user of image volback-it-pg:1 with the server's programs, libraries and time
#   zones mounted read-only from the host, without network (a unix socket in /tmp). Returns once
#   it accepts connections. pg NAME ARGS... runs a command in it.
PG_IMAGE=volback-it-pg:1
PG_BIN=/usr/lib/postgresql/15/bin

require_tool "$PG_BIN/initdb" postgresql
dk image inspect "$PG_IMAGE" >/dev/null 2>&1 || skip "image $PG_IMAGE is missing (run tests/integration/drill/services.sh)"

start_pg() {
  local name=$1
  shift
  chmod 0755 "$T" "$SRC"
  install -d -o postgres -g postgres -m 0700 "$SRC/$name"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$SRC/$name" -U postgres -A trust --locale=C -E UTF8 >"$T/initdb-$name.log" 2>&1 ||
    { cat "$T/initdb-$name.log"; fail "initdb failed"; }
  local -a ro=()
  local dir
  for dir in /usr/lib/postgresql/15 /usr/share/postgresql/15 /usr/lib/x86_64-linux-gnu /usr/share/zoneinfo; do
    ro+=(-v "$dir:$dir:ro")
  done
  ro+=(-v /usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro -v "$(readlink -f /lib64):/lib64:ro")
  dk run -d --name "$IT_ID-$name" --network none --label "volback-it=$IT_ID" --user postgres --stop-signal SIGINT \
    -v "$SRC/$name:/var/lib/postgresql/data" "${ro[@]}" \
    --label "docker-volume-backup.stop-during-backup=$LABEL" "$@" \
    "$PG_IMAGE" postgres -D /var/lib/postgresql/data -c listen_addresses= -c unix_socket_directories=/tmp \
    -c shared_buffers=16MB -c fsync=on >/dev/null || fail "docker run $name failed"
  local _
  for _ in $(seq 100); do
    pg "$name" pg_isready -h /tmp -U postgres >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  dk logs "$IT_ID-$name" >&2 || true
  fail "PostgreSQL in $name did not come up"
}

pg() {
  local name=$1
  shift
  dk exec "$IT_ID-$name" "$@"
}
