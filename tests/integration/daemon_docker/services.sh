#!/usr/bin/env bash
# The daemon_docker suite uses the docker suite's private dockerd; start it (idempotently).
set -euo pipefail
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../docker/services.sh"
