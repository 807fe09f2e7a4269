#!/usr/bin/env bash
# Starts, idempotently, what test_docker_s3.sh needs: the s3 suite's Swift with s3api and the
# docker suite's private dockerd with its test image. The other tests of the suite need neither.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(cd "$here/../s3" && bash ./services.sh)
(cd "$here/../docker" && bash ./services.sh)
