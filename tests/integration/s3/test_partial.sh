#!/usr/bin/env bash
# Fan-out with one backend failing: S3 refuses every upload connection (a proxy resets all
# connections after the preflight's), the local backend stores the backup. The run goes on,
# names the failed backend and exits 4 (partial); nothing appears in the bucket.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

port=$(free_port)
resets=()
for n in $(seq 2 20); do resets+=(--reset "$n"); done
start_proxy "$port" "${resets[@]}"
trap stop_proxy EXIT
printf 'data\n' >"$SRC/file.txt"

run_volback "${S3_ENV[@]}" AWS_ENDPOINT="http://127.0.0.1:$port" AWS_RETRY_ATTEMPTS=2
assert_exit 4
assert_log_line ERROR 'Storing the backup in S3 failed'
assert_log_line INFO "in \`$ARCHIVE\`.\" storage=Local"
assert_not_contains 'storage=S3'
single_archive "$ARCHIVE" >/dev/null
[[ -z $(s3_keys) ]] || fail "an object appeared: $(s3_keys)"
echo "PASS"
