# shellcheck shell=bash
# Helpers of the gdrive suite, sourced after ../lib.sh: the suite's Google Drive emulator
# (services.sh), a service account and a folder of the test's own, the emulator's control
# endpoints as the independent client, and the interface of the shared scenarios
# (../backend_scenarios/README.md).
#
# Time budget: the whole suite runs in about a minute and a half (the 300 MiB upload takes
# most of it).

GDRIVE_PORT=${VOLBACK_GDRIVE_PORT:-18120}
GDRIVE_DIR=${VOLBACK_GDRIVE_DIR:-/var/tmp/volback-it-gdrive}
GDRIVE_URL=http://127.0.0.1:$GDRIVE_PORT
GDRIVE_SUITE_DIR=$REPO_ROOT/tests/integration/gdrive
SCENARIOS=$REPO_ROOT/tests/integration/backend_scenarios

require_tool curl
require_tool openssl
[[ -x /usr/bin/python3 ]] || skip "/usr/bin/python3 is missing"
curl -s -o /dev/null "$GDRIVE_URL/_control/sessions" 2>/dev/null ||
  skip "no Google Drive emulator on 127.0.0.1:$GDRIVE_PORT (tests/integration/gdrive/services.sh starts it)"
[[ -s $GDRIVE_DIR/key.pem && -s $GDRIVE_DIR/other.pem ]] || skip "no keys in $GDRIVE_DIR (services.sh makes them)"

gd_json() { /usr/bin/python3 -c "$@"; }
gd_control() { # gd_control PATH [JSON] — GET, or POST the JSON
  if (($# > 1)); then
    curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GDRIVE_URL/_control/$1"
  else
    curl -fsS "$GDRIVE_URL/_control/$1"
  fi
}

# A service account and a folder of the test's own.
GD_TAG=$(basename "$T" | tr 'A-Z_.' 'a-z--' | tr -cd 'a-z0-9-' | cut -c1-30)-$RANDOM
GD_EMAIL=vb-$GD_TAG@volback-it.iam.gserviceaccount.com
GD_FOLDER=F${GD_TAG//-/_}
GD_MODULUS=$(openssl rsa -in "$GDRIVE_DIR/key.pem" -noout -modulus | sed 's/^Modulus=//')
GD_EXPONENT=$(openssl rsa -in "$GDRIVE_DIR/key.pem" -noout -text | sed -n 's/^publicExponent: \([0-9]*\).*/\1/p')

# gd_account [JSON MEMBERS] — (re)registers the test's account with the emulator; the
#   members (subject, token_lifetime, fail, drop_chunk_after) are added as given.
gd_account() {
  local extra=${1:-}
  gd_control account "{\"email\": \"$GD_EMAIL\", \"n\": \"$GD_MODULUS\", \"e\": $GD_EXPONENT, \"subject\": null${extra:+, $extra}}" >/dev/null ||
    fail "cannot register the account with the emulator"
}
# gd_credentials KEYFILE DEST — a service account key file (JSON) with that private key.
gd_credentials() {
  gd_json 'import json, sys
print(json.dumps({"type": "service_account", "project_id": "volback-it", "private_key_id": "k1",
                  "private_key": open(sys.argv[1]).read(), "client_email": sys.argv[2],
                  "token_uri": "https://oauth2.googleapis.com/token"}))' "$1" "$GD_EMAIL" >"$2"
}
gd_account ""
gd_control folder "{\"id\": \"$GD_FOLDER\"}" >/dev/null || fail "cannot create folder $GD_FOLDER"
gd_credentials "$GDRIVE_DIR/key.pem" "$T/service-account.json"
gd_credentials "$GDRIVE_DIR/other.pem" "$T/other-account.json"
chmod 600 "$T/service-account.json" "$T/other-account.json"

BACKEND=GoogleDrive
GD_COMMON=(GOOGLE_DRIVE_FOLDER_ID="$GD_FOLDER" GOOGLE_DRIVE_ENDPOINT="$GDRIVE_URL/drive/v3/"
  GOOGLE_DRIVE_TOKEN_URL="$GDRIVE_URL/token" GOOGLE_DRIVE_RETRY_ATTEMPTS=4 GOOGLE_DRIVE_RETRY_MAX_TIME=20s)
BACKEND_ENV=(GOOGLE_DRIVE_CREDENTIALS_JSON_FILE="$T/service-account.json" "${GD_COMMON[@]}")
BAD_ENV=(GOOGLE_DRIVE_CREDENTIALS_JSON_FILE="$T/other-account.json" "${GD_COMMON[@]}")

# The folder's files as the emulator holds them: "name<TAB>id<TAB>createdTime<TAB>size", by name.
gd_files() {
  gd_control "files?folder=$GD_FOLDER" | gd_json 'import json, sys
for f in json.load(sys.stdin):
    print("%s\t%s\t%s\t%s" % (f["name"], f["id"], f["createdTime"], f.get("size", "")))'
}
remote_keys() { gd_files | cut -f1; }
remote_leftovers() {
  gd_control sessions | gd_json 'import json, sys
for s in json.load(sys.stdin):
    if s["email"] == sys.argv[1]:
        print(s["name"])' "$GD_EMAIL"
}
gd_id() { gd_files | awk -F'\t' -v k="$1" '$1 == k { print $2 }' | tail -n 1; }
remote_fetch() {
  local id
  id=$(gd_id "$1")
  [[ -n $id ]] || fail "no file $1 in the emulator's folder"
  curl -fsS -o "$2" "$GDRIVE_URL/_control/content?id=$id" || fail "curl could not fetch $1"
}
remote_mtime() { gd_files | awk -F'\t' -v k="$1" '$1 == k { print $3 }' | tail -n 1; }
gd_events() { gd_control "events?email=$GD_EMAIL" | gd_json 'import json, sys
print("\n".join(json.load(sys.stdin)))'; }

server_kill() {
  local pid
  pid=$(cat "$GDRIVE_DIR/emulator.pid")
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
server_start() { (cd "$GDRIVE_SUITE_DIR" && bash ./services.sh >/dev/null); }
# Chunks go up once the debug log shows the fourth.
wait_for_upload() {
  local _
  for _ in $(seq 600); do
    (($(grep -c 'msg="Uploading chunk"' "$VOLBACK_LOG" 2>/dev/null || true) >= 4)) && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before the upload was under way"
    sleep 0.1
  done
  fail "no upload under way within 60 s"
}
