# shellcheck shell=bash
# Helpers of the webdav suite, sourced after ../lib.sh: the suite's Apache mod_dav
# (services.sh; /basic/ with basic authentication, /digest/ with digest), a collection of
# the test's own, the independent client (curl) and the interface of the shared scenarios
# (../backend_scenarios/README.md).
#
# Time budget: the whole suite runs in under 3 minutes (the 300 MiB and server-killed
# scenarios take most of it).

DAV_PORT=${VOLBACK_WEBDAV_PORT:-18090}
DAV_DIR=${VOLBACK_WEBDAV_DIR:-/var/tmp/volback-it-webdav}
DAV_USER=volback
DAV_PASSWORD=dav-secret
SCENARIOS=$REPO_ROOT/tests/integration/backend_scenarios

require_root
require_tool curl
require_tool apache2
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DAV_PORT/basic/" 2>/dev/null | grep -q 401 ||
  skip "no WebDAV server on 127.0.0.1:$DAV_PORT (tests/integration/webdav/services.sh starts it)"

# A collection of the test's own.
DAV_LOCATION=${DAV_LOCATION:-basic}
REMOTE_REL=it/$(basename "$(dirname "$T")")-$(basename "$T")
REMOTE_DIR=$DAV_DIR/root/$DAV_LOCATION/$REMOTE_REL
DAV_URL=http://127.0.0.1:$DAV_PORT/$DAV_LOCATION

# The test's directory on the server goes when the test ends.
remove_remote_dir() { rm -rf "$REMOTE_DIR"; }
previous_remote_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'remove_remote_dir; '"${previous_remote_trap:-true}" EXIT

BACKEND=WebDAV
BACKEND_ENV=(WEBDAV_URL="$DAV_URL" WEBDAV_PATH="$REMOTE_REL" WEBDAV_USERNAME="$DAV_USER"
  WEBDAV_PASSWORD="$DAV_PASSWORD" WEBDAV_RETRY_ATTEMPTS=2 WEBDAV_RETRY_MAX_TIME=2s)
BAD_ENV=(WEBDAV_URL="$DAV_URL" WEBDAV_PATH="$REMOTE_REL" WEBDAV_USERNAME="$DAV_USER" WEBDAV_PASSWORD=wrong-password)

# The listing reads the server's file system directly (this is the same machine); objects
# are fetched with curl.
remote_keys() {
  [[ -d $REMOTE_DIR ]] || return 0
  (cd "$REMOTE_DIR" && find . -type f ! -name '.*' -printf '%P\n' | LC_ALL=C sort)
}
remote_leftovers() {
  [[ -d $REMOTE_DIR ]] || return 0
  (cd "$REMOTE_DIR" && find . -type f -name '.volback-partial-*' -printf '%P\n' | LC_ALL=C sort)
}
remote_fetch() {
  curl -fsS --anyauth -u "$DAV_USER:$DAV_PASSWORD" -o "$2" "$DAV_URL/$REMOTE_REL/$1" || fail "curl could not fetch $1"
}
remote_mtime() { date -u -d "@$(stat -c %Y "$REMOTE_DIR/$1")" '+%Y-%m-%d %H:%M:%S UTC'; }

# Apache and its worker processes.
server_kill() {
  local pid child
  pid=$(cat "$DAV_DIR/run/fg.pid")
  for child in $(ps -o pid= --ppid "$pid"); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
  while curl -s -o /dev/null "http://127.0.0.1:$DAV_PORT/" 2>/dev/null; do sleep 0.1; done
  rm -f "$DAV_DIR/run/httpd.pid"
}
server_start() { (cd "$REPO_ROOT/tests/integration/webdav" && bash ./services.sh >/dev/null); }
# mod_dav_fs receives a PUT into a temporary file beside the target.
wait_for_upload() {
  local _ size
  for _ in $(seq 600); do
    size=$(find "$REMOTE_DIR" -name '.davfs.tmp*' -printf '%s\n' 2>/dev/null | head -n 1 || true)
    [[ -n $size ]] && ((size > 20 * 1024 * 1024)) && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before the upload was under way"
    sleep 0.1
  done
  fail "no upload under way within 60 s"
}
