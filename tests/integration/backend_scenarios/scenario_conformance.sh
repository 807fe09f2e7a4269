# shellcheck shell=bash
# The storage conformance suite (src/volback/testing/storage_conformance.hpp) against the
# real server: build/volback-conformance configures the backend from the environment as
# `volback backup` does, under a path of the test's own, and runs every case (atomic
# visibility, aborts, ranged reads, nested keys, a large object, names with spaces and
# non-ASCII, ...). Then nothing may be left: no object, no partial upload.
tool=${VOLBACK_CONFORMANCE_BIN:-$(dirname "$VOLBACK_BIN")/volback-conformance}
[[ -x $tool ]] || fail "$tool is missing (it is built with the tests: scripts/build.sh)"

step "conformance suite against $BACKEND"
rc=0
env -i PATH="$PATH" HOME="$T" VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" "${BACKEND_ENV[@]}" \
  VOLBACK_CONFORMANCE_LARGE_BYTES=$((24 << 20)) "$tool" >"$T/conformance.log" 2>&1 || rc=$?
tail -n 30 "$T/conformance.log"
[[ $rc == 0 ]] || fail "the conformance suite failed against $BACKEND (exit $rc)"
grep -q '\[  PASSED  \] 13 tests' "$T/conformance.log" || fail "not every case ran"

step "nothing is left"
assert_eq "" "$(remote_keys)" "objects left"
assert_eq "" "$(remote_leftovers)" "partial uploads left"
echo "PASS"
