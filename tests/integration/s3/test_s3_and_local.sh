#!/usr/bin/env bash
# Test 1: one backup to S3 and the local directory at once. awscli downloads the object; its
# bytes equal the local file's, and it extracts with GNU tar to the source tree. A small
# archive goes up as one PUT (plain ETag), under AWS_S3_PATH.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"
require_tool tar
require_tool cmp diffutils

step "source tree"
make_random_file "$SRC/data/random.bin" $((2 * 1024 * 1024 + 5))
printf 'hello\n' >"$SRC/data/hello.txt"
mkdir -p "$SRC/empty"

run_volback "${S3_ENV[@]}" AWS_S3_PATH=nightly/db
assert_success
local_file=$(single_archive "$ARCHIVE")
name=${local_file##*/}
# offen's lines, word for word, with offen's storage attribute.
assert_log_line INFO "msg=\"Uploaded a copy of backup \`$name\` to bucket \`$BUCKET\`.\" storage=S3"
assert_log_line INFO "msg=\"Stored copy of backup \`$name\` in \`$ARCHIVE\`.\" storage=Local"

step "the object, checked with awscli"
assert_eq "nightly/db/$name" "$(s3_keys)" "keys in the bucket"
aws s3 cp "s3://$BUCKET/nightly/db/$name" "$T/downloaded" >/dev/null
cmp "$local_file" "$T/downloaded" || fail "the S3 object differs from the local file"
etag=$(aws s3api head-object --bucket "$BUCKET" --key "nightly/db/$name" --query ETag --output text)
[[ $etag != *-* ]] || fail "a small archive should be one PUT, got multipart ETag $etag"
ctype=$(aws s3api head-object --bucket "$BUCKET" --key "nightly/db/$name" --query ContentType --output text)
assert_eq application/gzip "$ctype" "Content-Type"
[[ -z $(s3_uploads) ]] || fail "incomplete multipart uploads left: $(s3_uploads)"

step "extracts to the source tree"
extract_archive "$T/downloaded" "$T/restore"
compare_trees "$SRC" "$(extracted_source "$T/restore")"

step "rclone and s3cmd see the same object"
if command -v rclone >/dev/null; then
  env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_CONFIG_PS3_TYPE=s3 RCLONE_CONFIG_PS3_PROVIDER=Other \
    RCLONE_CONFIG_PS3_ENDPOINT="$S3_ENDPOINT" RCLONE_CONFIG_PS3_ACCESS_KEY_ID="$S3_ACCESS" \
    RCLONE_CONFIG_PS3_SECRET_ACCESS_KEY="$S3_SECRET" RCLONE_CONFIG_PS3_REGION=us-east-1 \
    RCLONE_CONFIG_PS3_FORCE_PATH_STYLE=true rclone cat "ps3:$BUCKET/nightly/db/$name" | cmp - "$local_file" ||
    fail "rclone reads different bytes"
fi
echo "PASS"
