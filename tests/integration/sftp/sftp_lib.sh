# shellcheck shell=bash
# Helpers of the sftp suite, sourced after ../lib.sh: the suite's sshd (services.sh), a remote
# directory of the test's own, the independent clients (sftp, ssh) and the interface of the
# shared scenarios (../backend_scenarios/README.md).
#
# Time budget: the whole suite runs in under 3 minutes (the 300 MiB and server-killed
# scenarios take most of it).

SSH_PORT=${VOLBACK_SSH_PORT:-18022}
SSH_DIR=${VOLBACK_SSH_DIR:-/var/tmp/volback-it-sshd}
SSH_TEST_USER=volback-sftp
SCENARIOS=$REPO_ROOT/tests/integration/backend_scenarios

require_root
require_tool sftp openssh-client
require_tool /usr/sbin/sshd openssh-server
[[ -f $SSH_DIR/client_ed25519 ]] && timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT" 2>/dev/null ||
  skip "no sshd on 127.0.0.1:$SSH_PORT (tests/integration/sftp/services.sh starts it)"

SSH_HOME=$(getent passwd "$SSH_TEST_USER" | cut -d: -f6)
# A directory of the test's own below the user's home.
REMOTE_REL=it/$(basename "$(dirname "$T")")-$(basename "$T")
REMOTE_DIR=$SSH_HOME/$REMOTE_REL
SSH_OPTS=(-i "$SSH_DIR/client_ed25519" -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes
  -o IdentitiesOnly=yes -o BatchMode=yes)

# The test's directory on the server goes when the test ends.
remove_remote_dir() { rm -rf "$REMOTE_DIR"; }
previous_remote_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'remove_remote_dir; '"${previous_remote_trap:-true}" EXIT

BACKEND=SSH
BACKEND_ENV=(SSH_HOST_NAME=127.0.0.1 SSH_PORT="$SSH_PORT" SSH_USER="$SSH_TEST_USER"
  SSH_IDENTITY_FILE="$SSH_DIR/client_ed25519" SSH_KNOWN_HOSTS_FILE="$SSH_DIR/known_hosts"
  SSH_REMOTE_PATH="$REMOTE_REL" SSH_RETRY_ATTEMPTS=2 SSH_RETRY_MAX_TIME=2s)
BAD_ENV=(SSH_HOST_NAME=127.0.0.1 SSH_PORT="$SSH_PORT" SSH_USER="$SSH_TEST_USER" SSH_PASSWORD=wrong-password
  SSH_IDENTITY_FILE="$T/none" SSH_KNOWN_HOSTS_FILE="$SSH_DIR/known_hosts" SSH_REMOTE_PATH="$REMOTE_REL")

# The listing reads the server's file system directly (this is the same machine); objects
# are fetched over SFTP.
remote_keys() {
  [[ -d $REMOTE_DIR ]] || return 0
  (cd "$REMOTE_DIR" && find . -type f ! -name '.*' -printf '%P\n' | LC_ALL=C sort)
}
remote_leftovers() {
  [[ -d $REMOTE_DIR ]] || return 0
  (cd "$REMOTE_DIR" && find . -type f -name '.volback-partial-*' -printf '%P\n' | LC_ALL=C sort)
}
remote_fetch() {
  sftp "${SSH_OPTS[@]}" -P "$SSH_PORT" -b - "$SSH_TEST_USER@127.0.0.1" >/dev/null <<<"get \"$REMOTE_REL/$1\" \"$2\"" ||
    fail "sftp could not fetch $1"
}
remote_mtime() { date -u -d "@$(stat -c %Y "$REMOTE_DIR/$1")" '+%Y-%m-%d %H:%M:%S UTC'; }

# The listening sshd and every session process it started.
server_kill() {
  local pid child
  pid=$(cat "$SSH_DIR/sshd.pid.fg")
  for child in $(ps -o pid= --ppid "$pid"); do
    for grandchild in $(ps -o pid= --ppid "$child"); do kill -KILL "$grandchild" 2>/dev/null || true; done
    kill -KILL "$child" 2>/dev/null || true
  done
  kill -KILL "$pid" 2>/dev/null || true
  while timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT" 2>/dev/null; do sleep 0.1; done
}
server_start() { (cd "$REPO_ROOT/tests/integration/sftp" && bash ./services.sh >/dev/null); }
wait_for_upload() {
  local _ size
  for _ in $(seq 600); do
    size=$(find "$REMOTE_DIR" -name '.volback-partial-*' -printf '%s\n' 2>/dev/null | head -n 1 || true)
    [[ -n $size ]] && ((size > 20 * 1024 * 1024)) && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before the upload was under way"
    sleep 0.1
  done
  fail "no upload under way within 60 s"
}
