# shellcheck shell=bash
# Helpers of the s3 suite, sourced after ../lib.sh: the Swift endpoint, an independent
# client (/usr/bin/aws), a fresh bucket per test and the S3 environment for run_volback.

S3_PORT=${VOLBACK_S3_PORT:-4570}
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_ACCESS=test:tester
S3_SECRET=testing
SWIFT_DIR=${VOLBACK_SWIFT_DIR:-/tmp/volback-swift-s3}
S3_SUITE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

require_tool /usr/bin/aws awscli
require_tool curl
curl -sf "$S3_ENDPOINT/healthcheck" >/dev/null ||
  skip "no S3 server on $S3_ENDPOINT (tests/integration/s3/services.sh starts Swift)"

export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=$T/aws.config AWS_PAGER=""
printf '[default]\ns3 =\n  addressing_style = path\n' >"$AWS_CONFIG_FILE"
unset AWS_CA_BUNDLE

# aws ARGS... — Debian's awscli against the test server.
aws() {
  AWS_ACCESS_KEY_ID=$S3_ACCESS AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
    /usr/bin/aws --endpoint-url "${AWS_TEST_ENDPOINT:-$S3_ENDPOINT}" "$@"
}

# A bucket of its own for each test, named after it. awscli retries a CreateBucket whose
# reply came late on a loaded machine, and the retry then hears BucketAlreadyOwnedByYou: the
# bucket exists and is ours, which is what the test needs.
BUCKET=vb-$(echo "${TEST_NAME##*/}" | tr '_' '-' | tr -cd 'a-z0-9-' | cut -c1-40)-$RANDOM
if ! mb_out=$(aws s3 mb "s3://$BUCKET" 2>&1); then
  aws s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1 ||
    fail "cannot create bucket $BUCKET: $mb_out"
fi

# The S3 settings for run_volback, on top of which a test adds its own.
S3_ENV=(AWS_S3_BUCKET_NAME="$BUCKET" AWS_ENDPOINT="$S3_ENDPOINT" AWS_ACCESS_KEY_ID="$S3_ACCESS"
  AWS_SECRET_ACCESS_KEY="$S3_SECRET")

# s3_keys [PREFIX] — the keys in the test's bucket, sorted, one a line.
s3_keys() {
  aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "${1:-}" --query 'Contents[].Key' --output text |
    tr '\t' '\n' | grep -v '^None$' | LC_ALL=C sort || true
}

# s3_uploads — the incomplete multipart uploads in the bucket, "key upload-id" a line.
s3_uploads() {
  aws s3api list-multipart-uploads --bucket "$BUCKET" --query 'Uploads[].[Key,UploadId]' --output text |
    grep -v '^None$' || true
}

# swift_stop / swift_start — stop or (re)start the shared Swift.
swift_stop() { SWIFT_S3_PORT=$S3_PORT bash "$S3_SUITE_DIR/swift-s3.sh" stop "$SWIFT_DIR"; }
swift_start() { SWIFT_S3_PORT=$S3_PORT bash "$S3_SUITE_DIR/swift-s3.sh" start "$SWIFT_DIR" >/dev/null; }

# The proxy server of Swift alone, for the tests that take the S3 server away: killed hard
# (with its worker) and started again, the other Swift servers untouched.
swift_proxy_kill() {
  local pid child
  pid=$(cat "$SWIFT_DIR/run/proxy.pid")
  for child in $(ps -o pid= --ppid "$pid"); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
  while curl -sf "$S3_ENDPOINT/healthcheck" >/dev/null 2>&1; do sleep 0.1; done
}
swift_proxy_start() {
  (cd "$SWIFT_DIR" && { swift-proxy-server etc/proxy-server.conf -v >>log/proxy.log 2>&1 & echo $! >run/proxy.pid; })
  local _
  for _ in $(seq 300); do curl -sf "$S3_ENDPOINT/healthcheck" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "the Swift proxy did not come back"
}

# start_proxy PORT ARGS... — tcp_proxy.py in front of Swift; waits until it listens. Sets PROXY_PID
# and PROXY_LOG; the test's EXIT trap stops it.
start_proxy() {
  local port=$1 _
  shift
  PROXY_LOG=$T/proxy.log
  /usr/bin/python3 "$S3_SUITE_DIR/tcp_proxy.py" "$port" "$S3_PORT" "$@" >"$PROXY_LOG" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 100); do grep -q '^ready' "$PROXY_LOG" 2>/dev/null && return 0; sleep 0.05; done
  fail "tcp_proxy.py did not start: $(cat "$PROXY_LOG")"
}
stop_proxy() {
  if [[ -n ${PROXY_PID:-} ]]; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  PROXY_PID=
  return 0
}

# free_port — an unused TCP port on 127.0.0.1.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
