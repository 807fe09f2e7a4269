#!/usr/bin/env bash
# Test 2: 300 MiB of incompressible data with AWS_PART_SIZE=5 goes up as a multipart upload
# (ETag "<md5>-N"), byte-identical, while peak RSS stays under the part-buffer limit plus a
# small constant. No local backend: the stream goes straight to S3.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool /usr/bin/time time
require_tool cmp diffutils

LIMIT_MIB=40
SLACK_MIB=48   # the binary, libcurl, the tar/gzip pipeline and thread stacks
make_random_file "$SRC/big.bin" $((300 * 1024 * 1024))

VOLBACK_WRAPPER=(/usr/bin/time -v -o "$T/time.txt")
run_volback "${S3_ENV[@]}" BACKUP_ARCHIVE="$T/no-such-dir" BACKUP_COMPRESSION=none AWS_PART_SIZE=5 \
  AWS_PART_BUFFER_LIMIT=$LIMIT_MIB AWS_UPLOAD_CONCURRENCY=4
VOLBACK_WRAPPER=()
assert_success
rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$T/time.txt")
echo "peak RSS: $((rss_kib / 1024)) MiB (limit $LIMIT_MIB MiB + $SLACK_MIB MiB)"
((rss_kib < (LIMIT_MIB + SLACK_MIB) * 1024)) || fail "peak RSS $((rss_kib / 1024)) MiB is over the bound"

key=$(s3_keys)
[[ $key == backup-*.tar ]] || fail "unexpected keys: $key"
etag=$(aws s3api head-object --bucket "$BUCKET" --key "$key" --query ETag --output text)
echo "ETag $etag"
[[ $etag =~ ^\"[0-9a-f]{32}-61\"$ ]] || fail "expected a 61-part multipart ETag, got $etag"
[[ -z $(s3_uploads) ]] || fail "incomplete multipart uploads left"
aws s3 cp "s3://$BUCKET/$key" "$T/downloaded.tar" >/dev/null
mkdir -p "$T/x"
tar -xf "$T/downloaded.tar" -C "$T/x" --warning=no-unknown-keyword
cmp "$SRC/big.bin" "$(extracted_source "$T/x")/big.bin" || fail "the uploaded archive does not hold the data"

step "parts larger than the whole buffer limit are staged on disk, not in memory"
rm -rf "$T/x" "$T/downloaded.tar"
aws s3 rm --quiet "s3://$BUCKET/$key"
rm -f "$SRC/big.bin"
make_random_file "$SRC/mid.bin" $((60 * 1024 * 1024))
mkdir -p "$T/spool"
VOLBACK_WRAPPER=(/usr/bin/time -v -o "$T/time2.txt")
run_volback "${S3_ENV[@]}" BACKUP_ARCHIVE="$T/no-such-dir" BACKUP_COMPRESSION=none AWS_PART_SIZE=12 \
  AWS_PART_BUFFER_LIMIT=5 VOLBACK_SPOOL_DIR="$T/spool" LOG_LEVEL=debug
VOLBACK_WRAPPER=()
assert_success
assert_contains 'spilled=true'
rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$T/time2.txt")
echo "peak RSS with 12 MiB parts spilled: $((rss_kib / 1024)) MiB"
((rss_kib < (5 + SLACK_MIB) * 1024)) || fail "peak RSS $((rss_kib / 1024)) MiB is over the bound"
assert_empty_dir "$T/spool"
key=$(s3_keys)
etag=$(aws s3api head-object --bucket "$BUCKET" --key "$key" --query ETag --output text)
[[ $etag =~ -6\"$ ]] || fail "expected 6 parts of 12 MiB, got ETag $etag"
aws s3 cp "s3://$BUCKET/$key" "$T/downloaded.tar" >/dev/null
mkdir -p "$T/x"
tar -xf "$T/downloaded.tar" -C "$T/x" --warning=no-unknown-keyword
cmp "$SRC/mid.bin" "$(extracted_source "$T/x")/mid.bin" || fail "the spilled parts do not hold the data"
echo "PASS"
