#!/usr/bin/env bash
# Starts, idempotently, the dropbox suite's Dropbox API emulator (dropbox_emulator.py, Python's
# standard library only) on 127.0.0.1:${VOLBACK_DROPBOX_PORT:-18110}, app key volback-app,
# secret app-secret, refresh token refresh-secret. Its files live in
# ${VOLBACK_DROPBOX_DIR:-/var/tmp/volback-it-dropbox}, its pid in emulator.pid there. When it
# already answers, nothing happens.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The labelled-container scenarios use the docker suite's private dockerd.
(cd "$here/../docker" && bash ./services.sh)
port=${VOLBACK_DROPBOX_PORT:-18110}
dir=${VOLBACK_DROPBOX_DIR:-/var/tmp/volback-it-dropbox}
answers() { curl -s -o /dev/null "http://127.0.0.1:$port/_control/stats" 2>/dev/null; }
for tool in /usr/bin/python3 curl; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if answers; then
  echo "Dropbox emulator already answers on 127.0.0.1:$port"
  exit 0
fi
mkdir -p "$dir"
if [[ -f $dir/emulator.pid ]]; then
  kill "$(cat "$dir/emulator.pid")" 2>/dev/null || true
  rm -f "$dir/emulator.pid"
fi
setsid nohup /usr/bin/python3 "$here/dropbox_emulator.py" --port "$port" --dir "$dir" \
  >"$dir/emulator.log" 2>&1 </dev/null &
echo $! >"$dir/emulator.pid"
for _ in $(seq 100); do
  answers && {
    echo "Dropbox emulator ready on 127.0.0.1:$port"
    exit 0
  }
  sleep 0.1
done
echo "the Dropbox emulator did not come up:" >&2
tail -n 20 "$dir/emulator.log" >&2
exit 1
