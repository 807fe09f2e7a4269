#!/usr/bin/env bash
# Starts, idempotently, the azure suite's Azure Blob server: Azurite (from npm, installed
# once into ${VOLBACK_IT_CACHE:-/var/tmp/volback-it-cache}/azurite together with
# @azure/storage-blob, the independent client of the tests) on
# 127.0.0.1:${VOLBACK_AZURITE_PORT:-18100}, account devstoreaccount1 with the emulator's
# well-known key. Its data live in ${VOLBACK_AZURITE_DIR:-/var/tmp/volback-it-azurite}. When it
# already answers, nothing happens.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The labelled-container scenarios use the docker suite's private dockerd.
(cd "$here/../docker" && bash ./services.sh)
port=${VOLBACK_AZURITE_PORT:-18100}
dir=${VOLBACK_AZURITE_DIR:-/var/tmp/volback-it-azurite}
cache=${VOLBACK_IT_CACHE:-/var/tmp/volback-it-cache}/azurite
answers() { curl -s -o /dev/null "http://127.0.0.1:$port/devstoreaccount1?comp=list" 2>/dev/null; }
for tool in node npm curl; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if [[ ! -x $cache/node_modules/.bin/azurite-blob || ! -d $cache/node_modules/@azure/storage-blob ]]; then
  mkdir -p "$cache"
  (cd "$cache" && { [[ -f package.json ]] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund azurite@3.37.0 @azure/storage-blob@12 >npm-install.log 2>&1) ||
    { echo "npm install of azurite failed:" >&2; tail -n 20 "$cache/npm-install.log" >&2; exit 1; }
fi
if answers; then
  echo "Azurite already answers on 127.0.0.1:$port"
  exit 0
fi
mkdir -p "$dir/data"
if [[ -f $dir/azurite.pid ]]; then
  kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null || break; sleep 0.1; done
fi
# --skipApiVersionCheck: the API version volback speaks need not be Azurite's newest;
# --loose: tolerate headers Azurite does not implement.
setsid nohup "$cache/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir/data" \
  --disableTelemetry --skipApiVersionCheck --loose >>"$dir/azurite.log" 2>&1 </dev/null &
echo $! >"$dir/azurite.pid"
for _ in $(seq 150); do
  answers && { echo "Azurite ready on 127.0.0.1:$port"; exit 0; }
  sleep 0.1
done
echo "Azurite did not come up:" >&2
tail -n 20 "$dir/azurite.log" >&2
exit 1
