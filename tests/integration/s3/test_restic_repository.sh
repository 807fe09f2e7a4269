#!/usr/bin/env bash
# A restic-format repository on S3 (RESTIC_REPOSITORY=s3:http://host/bucket/prefix) beside
# the tar archive of the same run: the archive goes to AWS_S3_PATH, the repository's files
# under its own prefix; restic 0.14 checks every byte of the repository through S3 and
# restores the snapshot; restic's own snapshot in the same repository is listed by
# `volback snapshots`, and volback's next run stores next to nothing for restic's data.
# The repository is reached through a TLS proxy with the test's own CA: restic's S3 client
# sends aws-chunked uploads over plain HTTP, which Swift's s3api refuses.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool restic restic
require_tool openssl

step "a CA, a certificate for 127.0.0.1 and a TLS proxy in front of Swift"
(
  cd "$T"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=volback test CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
    -extfile server.ext 2>/dev/null
) || fail "openssl: the test CA"
port=$(free_port)
start_proxy "$port" --tls "$T/server.pem" "$T/server.key"
trap stop_proxy EXIT

REPO="s3:https://127.0.0.1:$port/$BUCKET/restic/vps"
export RESTIC_PASSWORD=volback-s3-restic
REPO_ENV=(RESTIC_REPOSITORY="$REPO" RESTIC_PASSWORD="$RESTIC_PASSWORD" RESTIC_HOST=volback-s3
  AWS_ENDPOINT_CA_CERT="$T/ca.pem")
rr() {
  AWS_ACCESS_KEY_ID=$S3_ACCESS AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
    restic --no-cache --cacert "$T/ca.pem" -q -r "$REPO" "$@"
}

step "source tree"
mkdir -p "$SRC/data/sub"
make_random_file "$SRC/data/random.bin" $((9 * 1024 * 1024 + 7))
printf 'hello\n' >"$SRC/data/hello.txt"
ln -s hello.txt "$SRC/data/sub/link"

step "volback init on S3"
run_volback "${S3_ENV[@]}" "${REPO_ENV[@]}" -- init
assert_exit 0
[[ -n $(s3_keys restic/vps/config) ]] || fail "no config object under restic/vps"

step "one run: the tar archive and the snapshot"
run_volback "${S3_ENV[@]}" AWS_S3_PATH=archives "${REPO_ENV[@]}"
assert_success
[[ $(s3_keys archives/ | wc -l) == 1 ]] || fail "expected one archive under archives/: $(s3_keys archives/)"
assert_contains "msg=\"Snapshot " "$VOLBACK_LOG"
[[ -n $(s3_keys restic/vps/data/) ]] || fail "no packs under restic/vps/data"

step "restic check --read-data through S3, and restore"
rr check --read-data >"$T/check.out" 2>&1 || fail "restic check failed: $(cat "$T/check.out")"
rr restore latest --target "$T/restored"
compare_trees "$SRC" "$T/restored$SRC"

step "restic backs up into the same repository; volback lists and deduplicates against it"
mkdir -p "$T/other"
cp "$SRC/data/random.bin" "$T/other/copy.bin"
rr backup --host restic-host "$T/other"
run_volback "${S3_ENV[@]}" "${REPO_ENV[@]}" -- snapshots --json
assert_exit 0
assert_contains '"hostname":"restic-host"' "$VOLBACK_OUT"
assert_contains '"hostname":"volback-s3"' "$VOLBACK_OUT"
cp "$SRC/data/random.bin" "$SRC/data/random-again.bin"
run_volback "${S3_ENV[@]}" AWS_S3_PATH=archives "${REPO_ENV[@]}"
assert_success
saved=$(grep "Snapshot [0-9a-f]* saved" "$VOLBACK_LOG")
bytes_new=$(sed -n 's/.* bytes_new=\([0-9]*\).*/\1/p' <<<"$saved")
((bytes_new < 65536)) || fail "a copy of stored data added $bytes_new bytes: $saved"
rr check >"$T/check2.out" 2>&1 || fail "restic check after the second run failed: $(cat "$T/check2.out")"
echo "SECOND RUN: $saved"
echo "PASS"
