#!/usr/bin/env bash
# Starts OpenStack Swift with the s3api middleware on 127.0.0.1:${VOLBACK_S3_PORT:-4570}
# (S3 access key test:tester, secret testing), idempotently: when it already answers, nothing
# happens. Its files live in ${VOLBACK_SWIFT_DIR:-/tmp/volback-swift-s3}.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
port=${VOLBACK_S3_PORT:-4570}
dir=${VOLBACK_SWIFT_DIR:-/tmp/volback-swift-s3}
if curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1; then
  echo "swift s3api already answers on 127.0.0.1:$port"
  exit 0
fi
for tool in swift-proxy-server swift-ring-builder memcached curl; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
# Leftovers of an earlier start that did not come up.
SWIFT_S3_PORT=$port bash "$here/swift-s3.sh" stop "$dir" || true
SWIFT_S3_PORT=$port bash "$here/swift-s3.sh" start "$dir"
