#!/usr/bin/env bash
# The restore suite uses the s3 suite's Swift and the docker suite's private dockerd: it starts
# them through their own services.sh (both idempotent).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/../s3/services.sh"
bash "$here/../docker/services.sh"
