# shellcheck shell=bash
# Helpers of the dropbox suite, sourced after ../lib.sh: the suite's Dropbox API emulator
# (services.sh, dropbox_emulator.py), a folder of the test's own, the independent client
# (curl against the emulator's API, with a token of its own) and the interface of the shared
# scenarios (../backend_scenarios/README.md).
#
# Time budget: the whole suite runs in about a minute and a half (the 300 MiB scenario takes
# most of it).

DBX_PORT=${VOLBACK_DROPBOX_PORT:-18110}
DBX_DIR=${VOLBACK_DROPBOX_DIR:-/var/tmp/volback-it-dropbox}
DBX_URL=http://127.0.0.1:$DBX_PORT
SCENARIOS=$REPO_ROOT/tests/integration/backend_scenarios

require_tool curl
[[ -x /usr/bin/python3 ]] || skip "/usr/bin/python3 is missing"
curl -s -o /dev/null "$DBX_URL/_control/stats" 2>/dev/null ||
  skip "no Dropbox emulator on 127.0.0.1:$DBX_PORT (tests/integration/dropbox/services.sh starts it)"

# A folder of the test's own.
DBX_REL=it/$(basename "$T")-$RANDOM
DBX_FOLDER=/$DBX_REL
REMOTE_DIR=$DBX_DIR/files/$DBX_REL
# The folder and any faults the test queued go when the test ends.
remove_remote_dir() {
  rm -rf "$REMOTE_DIR"
  dbx_control '{"reset": true}' >/dev/null 2>&1 || true
}
previous_remote_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'remove_remote_dir; '"${previous_remote_trap:-true}" EXIT

BACKEND=Dropbox
BACKEND_ENV=(DROPBOX_REFRESH_TOKEN=refresh-secret DROPBOX_APP_KEY=volback-app DROPBOX_APP_SECRET=app-secret
  DROPBOX_REMOTE_PATH="$DBX_FOLDER" DROPBOX_ENDPOINT="$DBX_URL/" DROPBOX_OAUTH2_ENDPOINT="$DBX_URL/"
  DROPBOX_CONCURRENCY_LEVEL=4 DROPBOX_RETRY_ATTEMPTS=3 DROPBOX_RETRY_MAX_TIME=10s)
BAD_ENV=(DROPBOX_REFRESH_TOKEN=refresh-secret DROPBOX_APP_KEY=volback-app DROPBOX_APP_SECRET=wrong-secret
  DROPBOX_REMOTE_PATH="$DBX_FOLDER" DROPBOX_ENDPOINT="$DBX_URL/" DROPBOX_OAUTH2_ENDPOINT="$DBX_URL/")

# The emulator's control endpoint (faults, token lifetime) and its counters.
dbx_control() { curl -fsS -X POST -H 'Content-Type: application/json' --data "$1" "$DBX_URL/_control"; }
dbx_stat() {
  curl -fsS "$DBX_URL/_control/stats" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], 0))' "$1"
}

# The independent client: a token of its own from the emulator's oauth2/token, then its API.
dbx_token() {
  curl -fsS -u volback-app:app-secret -d grant_type=refresh_token -d refresh_token=refresh-secret \
    "$DBX_URL/oauth2/token" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
remote_keys() {
  local token
  token=$(dbx_token)
  curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"path\": \"$DBX_FOLDER\", \"recursive\": true}" "$DBX_URL/2/files/list_folder" |
    /usr/bin/python3 -c '
import json, sys
reply = json.load(sys.stdin)
if reply.get("error_summary", "").startswith("path/not_found"):
    sys.exit(0)
prefix = sys.argv[1] + "/"
for entry in sorted(reply["entries"], key=lambda e: e["path_display"]):
    if entry[".tag"] == "file":
        print(entry["path_display"][len(prefix):])
' "$DBX_FOLDER"
}
# Upload sessions are invisible; what an interrupted upload leaves is an open session in the
# emulator, which never becomes a file. Nothing in the folder can be partial.
remote_leftovers() { :; }
remote_fetch() {
  curl -fsS -H "Authorization: Bearer $(dbx_token)" -H "Dropbox-API-Arg: {\"path\": \"$DBX_FOLDER/$1\"}" \
    -o "$2" -X POST "$DBX_URL/2/files/download" || fail "curl could not fetch $1"
}
remote_mtime() { date -u -d "@$(stat -c %Y "$REMOTE_DIR/$1")" '+%Y-%m-%d %H:%M:%S UTC'; }
