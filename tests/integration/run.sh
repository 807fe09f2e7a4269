#!/usr/bin/env bash
# Runs volback's integration suites.
#
#   tests/integration/run.sh [FILTER...]
#
# A suite is a directory below tests/integration holding test_*.sh files. For each suite with
# selected tests, its optional services.sh is run first (it starts, idempotently, what the suite
# needs); then each test runs in its own fresh temporary directory (TEST_TMPDIR, also its working
# directory) under a timeout. A FILTER selects the tests whose id "suite/test_name" contains it.
#
# Exit status of a test: 0 pass, 77 skip (lib.sh only skips outside CI), anything else fails.
# Prints PASS/FAIL/SKIP per test and, last, "N passed, M failed". Exits 1 if any test failed.
#
# Environment: VOLBACK_BIN (default build/volback), VOLBACK_IT_TIMEOUT (seconds per test,
# default 300), VOLBACK_IT_KEEP=1 keeps the directories of failed tests (default outside CI).
#
# Adding a suite: create tests/integration/<suite>/ with
#   deps.txt     Debian packages it needs, one a line (scripts/install-deps.sh installs them);
#   services.sh  optional; starts the servers it needs on 127.0.0.1, idempotently, and returns
#                once they answer;
#   test_*.sh    each sources ../lib.sh (run_volback, assertions, compare_trees, require_tool)
#                and stays quick. Under CI=true a missing prerequisite fails, it never skips;
#   timeout      optional; the suite's seconds per test, more than the default for a slow
#                suite, less for a quick one whose hang should fail fast (an explicit, larger
#                VOLBACK_IT_TIMEOUT still wins);
#   early-services  optional, empty: its services.sh starts slow work in the background (the
#                image suite builds the image). run.sh runs that services.sh before any test
#                and the suite's tests after every other suite's, so the work overlaps them.
# A single test also runs by hand: bash tests/integration/<suite>/test_x.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export VOLBACK_BIN=${VOLBACK_BIN:-$repo/build/volback}
timeout_s=${VOLBACK_IT_TIMEOUT:-300}
if [[ ${CI:-} == true ]]; then keep=${VOLBACK_IT_KEEP:-0}; else keep=${VOLBACK_IT_KEEP:-1}; fi

matches() {
  local id=$1 f
  (($# == 1)) && return 0
  shift
  for f in "$@"; do [[ $id == *"$f"* ]] && return 0; done
  return 1
}

# Collect the selected tests, grouped by suite in name order.
declare -a suites=()
declare -A suite_tests=()
while IFS= read -r -d '' suite_dir; do
  suite=${suite_dir##*/}
  tests=()
  while IFS= read -r -d '' t; do
    name=$(basename "$t" .sh)
    matches "$suite/$name" "$@" && tests+=("$t")
  done < <(find "$suite_dir" -maxdepth 1 -type f -name 'test_*.sh' -print0 | LC_ALL=C sort -z)
  ((${#tests[@]})) || continue
  suites+=("$suite")
  suite_tests[$suite]=$(printf '%s\n' "${tests[@]}")
done < <(find "$here" -mindepth 1 -maxdepth 1 -type d -print0 | LC_ALL=C sort -z)

if ((${#suites[@]} == 0)); then
  echo "run.sh: no integration test matches: $*" >&2
  echo "0 passed, 0 failed"
  exit 1
fi

[[ -x $VOLBACK_BIN ]] || echo "run.sh: warning: $VOLBACK_BIN is missing; build first (scripts/build.sh)" >&2

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/volback-it.XXXXXX")
chmod 755 "$run_dir"
echo "integration tests: binary $VOLBACK_BIN, work dir $run_dir, timeout ${timeout_s}s per test"

passed=0
failed=0
skipped=0
failed_ids=()

show_log() {
  echo "    --- last lines of $1 ---"
  tail -n "${2:-60}" "$1" | sed 's/^/    /'
  echo "    ---"
}

remove_tree() {
  chmod -R u+rwX "$1" 2>/dev/null || true
  rm -rf "$1"
}

# start_services SUITE — runs the suite's services.sh (if any) once; records whether it worked.
declare -A services_ok=()
start_services() {
  local suite=$1 suite_dir=$here/$1 slog start
  [[ -z ${services_ok[$suite]:-} ]] || return 0
  services_ok[$suite]=1
  [[ -f $suite_dir/services.sh ]] || return 0
  slog=$run_dir/$suite.services.log
  start=$(date +%s)
  if (cd "$suite_dir" && timeout -k 10 "$timeout_s" bash ./services.sh) >"$slog" 2>&1 </dev/null; then
    echo "services for $suite ready ($(($(date +%s) - start))s)"
  else
    echo "services for $suite FAILED to start; its tests fail"
    show_log "$slog"
    services_ok[$suite]=0
  fi
}

# Suites with early services: their services first, their tests last.
ordered=()
early=()
for suite in "${suites[@]}"; do
  if [[ -f $here/$suite/early-services ]]; then early+=("$suite"); else ordered+=("$suite"); fi
done
for suite in "${early[@]}"; do start_services "$suite"; done
ordered+=("${early[@]}")

for suite in "${ordered[@]}"; do
  suite_dir=$here/$suite
  mapfile -t tests <<<"${suite_tests[$suite]}"
  # A suite may set its own seconds per test (its file `timeout`): the image suite's first
  # test may wait for the image build that services.sh started; the notify suite is quick.
  suite_timeout=$timeout_s
  if [[ -f $suite_dir/timeout ]]; then
    suite_timeout=$(<"$suite_dir/timeout")
    if [[ -n ${VOLBACK_IT_TIMEOUT:-} ]] && ((VOLBACK_IT_TIMEOUT > suite_timeout)); then
      suite_timeout=$VOLBACK_IT_TIMEOUT
    fi
  fi
  start_services "$suite"
  for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    id=$suite/$name
    tdir=$run_dir/$suite.$name
    log=$run_dir/$suite.$name.log
    mkdir -p "$tdir"
    if ((services_ok[$suite] == 0)); then
      echo "FAIL  $id (services.sh failed)"
      failed=$((failed + 1))
      failed_ids+=("$id")
      continue
    fi
    start=$(date +%s%N)
    rc=0
    (cd "$tdir" && TEST_TMPDIR=$tdir TEST_NAME=$id exec timeout -k 10 "$suite_timeout" bash "$t") \
      >"$log" 2>&1 </dev/null || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    secs=$((ms / 1000)).$((ms % 1000 / 100))
    case $rc in
      0)
        echo "PASS  $id (${secs}s)"
        passed=$((passed + 1))
        remove_tree "$tdir"
        ;;
      77)
        echo "SKIP  $id: $(grep '^SKIP:' "$log" | tail -n 1 | cut -c7-)"
        skipped=$((skipped + 1))
        remove_tree "$tdir"
        ;;
      *)
        what="exit $rc"
        ((rc == 124 || rc == 137)) && what="timed out after ${suite_timeout}s"
        echo "FAIL  $id ($what, ${secs}s)"
        show_log "$log"
        failed=$((failed + 1))
        failed_ids+=("$id")
        if [[ $keep == 1 ]]; then echo "    kept $tdir"; else remove_tree "$tdir"; fi
        ;;
    esac
  done
done

if ((failed)); then
  echo "failed: ${failed_ids[*]} (logs in $run_dir)"
else
  remove_tree "$run_dir"
fi
((skipped == 0)) || echo "($skipped skipped)"
echo "$passed passed, $failed failed"
((failed == 0))
