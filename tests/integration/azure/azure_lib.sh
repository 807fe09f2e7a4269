# shellcheck shell=bash
# Helpers of the azure suite, sourced after ../lib.sh: the suite's Azurite (services.sh), a
# container of the test's own, the independent clients (@azure/storage-blob through
# az_tool.js, curl with a SAS token) and the interface of the shared scenarios
# (../backend_scenarios/README.md).
#
# Time budget: the whole suite runs in under 3 minutes (the 300 MiB and server-killed
# scenarios take most of it).

AZURITE_PORT=${VOLBACK_AZURITE_PORT:-18100}
AZURITE_DIR=${VOLBACK_AZURITE_DIR:-/var/tmp/volback-it-azurite}
AZURE_CACHE=${VOLBACK_IT_CACHE:-/var/tmp/volback-it-cache}/azurite
export AZURITE_URL=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1
export NODE_PATH=$AZURE_CACHE/node_modules
AZ_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
AZ_SUITE_DIR=$REPO_ROOT/tests/integration/azure
SCENARIOS=$REPO_ROOT/tests/integration/backend_scenarios

require_tool node nodejs
require_tool curl
[[ -d $NODE_PATH/@azure/storage-blob ]] || skip "@azure/storage-blob is not installed (tests/integration/azure/services.sh)"
curl -s -o /dev/null "$AZURITE_URL?comp=list" 2>/dev/null ||
  skip "no Azurite on 127.0.0.1:$AZURITE_PORT (tests/integration/azure/services.sh starts it)"

az_tool() { node "$AZ_SUITE_DIR/az_tool.js" "$@"; }

# A container of the test's own; blobs under a path prefix.
CONTAINER=vb-$(basename "$T" | tr 'A-Z_.' 'a-z--' | tr -cd 'a-z0-9-' | cut -c1-40)-$RANDOM
CONTAINER=${CONTAINER//--/-}
az_tool mkcontainer "$CONTAINER" || fail "cannot create container $CONTAINER"
# The container goes when the test ends.
remove_container() { az_tool rmcontainer "$CONTAINER" >/dev/null 2>&1 || true; }
previous_container_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap 'remove_container; '"${previous_container_trap:-true}" EXIT
AZ_PATH=backups/nightly

BACKEND=Azure
BACKEND_ENV=(AZURE_STORAGE_ACCOUNT_NAME=devstoreaccount1 AZURE_STORAGE_PRIMARY_ACCOUNT_KEY="$AZ_KEY"
  AZURE_STORAGE_CONTAINER_NAME="$CONTAINER" AZURE_STORAGE_PATH="$AZ_PATH"
  "AZURE_STORAGE_ENDPOINT=http://127.0.0.1:$AZURITE_PORT/{{ .AccountName }}/"
  AZURE_RETRY_ATTEMPTS=2 AZURE_RETRY_MAX_TIME=2s)
BAD_ENV=(AZURE_STORAGE_ACCOUNT_NAME=devstoreaccount1
  AZURE_STORAGE_PRIMARY_ACCOUNT_KEY=QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5
  AZURE_STORAGE_CONTAINER_NAME="$CONTAINER" AZURE_STORAGE_PATH="$AZ_PATH"
  "AZURE_STORAGE_ENDPOINT=http://127.0.0.1:$AZURITE_PORT/{{ .AccountName }}/")

remote_keys() { az_tool list "$CONTAINER" "$AZ_PATH/" | sed "s#^$AZ_PATH/##"; }
remote_leftovers() { az_tool list "$CONTAINER" "$AZ_PATH/" uncommitted | sed "s#^$AZ_PATH/##"; }
remote_fetch() {
  local sas
  sas=$(az_tool sas "$CONTAINER")
  curl -fsS -o "$2" "$AZURITE_URL/$CONTAINER/$AZ_PATH/$1?$sas" || fail "curl could not fetch $1"
}
remote_mtime() { az_tool props "$CONTAINER" "$AZ_PATH/$1" | cut -f1; }

# Azurite keeps its metadata in memory and writes it out when it stops: SIGKILL would lose
# the test's container and the staged blocks, so it is killed with SIGTERM, which drops the
# connections of the upload at once all the same.
server_kill() {
  local pid
  pid=$(cat "$AZURITE_DIR/azurite.pid")
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
server_start() { (cd "$AZ_SUITE_DIR" && bash ./services.sh >/dev/null); }
# Blocks go up once the debug log shows the fourth.
wait_for_upload() {
  local _
  for _ in $(seq 600); do
    (($(grep -c 'msg="Uploading block"' "$VOLBACK_LOG" 2>/dev/null || true) >= 4)) && return 0
    kill -0 "$FROZEN_PID" 2>/dev/null || fail "volback ended before the upload was under way"
    sleep 0.1
  done
  fail "no upload under way within 60 s"
}
