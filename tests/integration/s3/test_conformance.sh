#!/usr/bin/env bash
# The storage conformance suite (src/volback/testing/storage_conformance.hpp) against S3 on
# the real Swift s3api: build/volback-conformance configures the backend from the
# environment as `volback backup` does, with a path prefix so that nested keys live below it,
# and runs every case (atomic visibility, aborts, ranged reads, nested keys, a 48 MiB
# multipart object, ...). awscli then checks that nothing (no object, no multipart upload) is
# left in the bucket.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/s3lib.sh"

tool=${VOLBACK_CONFORMANCE_BIN:-$(dirname "$VOLBACK_BIN")/volback-conformance}
[[ -x $tool ]] || fail "$tool is missing (it is built with the tests: scripts/build.sh)"

step "conformance suite against s3://$BUCKET/some/path"
rc=0
env -i PATH="$PATH" HOME="$T" "${S3_ENV[@]}" AWS_S3_PATH=some/path AWS_PART_SIZE=5 \
  VOLBACK_CONFORMANCE_LARGE_BYTES=$((24 << 20)) "$tool" >"$T/conformance.log" 2>&1 || rc=$?
tail -n 30 "$T/conformance.log"
[[ $rc == 0 ]] || fail "the conformance suite failed against S3 (exit $rc)"
grep -q '\[  PASSED  \] 13 tests' "$T/conformance.log" || fail "not every case ran"

step "nothing is left in the bucket"
assert_eq "" "$(s3_keys)" "objects left"
assert_eq "" "$(s3_uploads)" "multipart uploads left"
