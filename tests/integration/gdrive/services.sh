#!/usr/bin/env bash
# Starts, idempotently, the gdrive suite's Google Drive emulator (gdrive_emulator.py, the
# Python standard library only) on 127.0.0.1:${VOLBACK_GDRIVE_PORT:-18120}, with its files in
# ${VOLBACK_GDRIVE_DIR:-/var/tmp/volback-it-gdrive}, and makes the suite's two RSA keys there
# with openssl: key.pem (the service account's; each test registers an account with its
# modulus, as `openssl rsa -modulus` prints it) and other.pem (wrong credentials). When the
# emulator already answers, only the keys are checked.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The labelled-container scenarios use the docker suite's private dockerd.
(cd "$here/../docker" && bash ./services.sh)
port=${VOLBACK_GDRIVE_PORT:-18120}
dir=${VOLBACK_GDRIVE_DIR:-/var/tmp/volback-it-gdrive}
for tool in openssl curl /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$dir"
for key in key other; do
  [[ -s $dir/$key.pem ]] || openssl genrsa -out "$dir/$key.pem" 2048 2>/dev/null
done
answers() { curl -s -o /dev/null "http://127.0.0.1:$port/_control/sessions" 2>/dev/null; }
if answers; then
  echo "Google Drive emulator already answers on 127.0.0.1:$port"
  exit 0
fi
if [[ -f $dir/emulator.pid ]]; then
  kill "$(cat "$dir/emulator.pid")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$(cat "$dir/emulator.pid")" 2>/dev/null || break; sleep 0.1; done
fi
setsid nohup /usr/bin/python3 "$here/gdrive_emulator.py" --port "$port" --dir "$dir" \
  >>"$dir/emulator.log" 2>&1 </dev/null &
echo $! >"$dir/emulator.pid"
for _ in $(seq 100); do
  answers && { echo "Google Drive emulator ready on 127.0.0.1:$port"; exit 0; }
  sleep 0.1
done
echo "the Google Drive emulator did not come up:" >&2
tail -n 20 "$dir/emulator.log" >&2
exit 1
