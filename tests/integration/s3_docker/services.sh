#!/usr/bin/env bash
# Starts, idempotently, what the s3 and docker suites start: Swift with s3api, and the
# private dockerd with its test image.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(cd "$here/../s3" && bash ./services.sh)
(cd "$here/../docker" && bash ./services.sh)
