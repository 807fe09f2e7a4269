#!/usr/bin/env bash
# The test command (CI runs exactly this, through .ci/run):
#   1. deps         scripts/install-deps.sh
#   2. build        scripts/build.sh
#   3. layering     scripts/check-layering.sh
#      format       scripts/check-format.sh: every C++ file as .clang-format says
#   4. unit         ctest --test-dir build --output-on-failure -j2
#   5. asan         scripts/sanitize.sh asan: the whole unit suite under ASan + UBSan (build-asan)
#   6. tsan         scripts/sanitize.sh tsan: the threaded parts' tests under TSan (build-tsan)
#   7. fuzz         scripts/fuzz.sh --time 15: each fuzz target for 15 s (built by asan; see
#                   fuzz_targets below)
#   8. integration  tests/integration/run.sh [FILTER...]
# Prints the time of each stage and, last, "N passed, M failed" over the unit, sanitizer and
# integration tests and the fuzz targets (a failed stage without a test count counts as one
# failure). Exits 1 if anything failed; stops after deps or build if those fail.
#
# Arguments are passed to tests/integration/run.sh as filters. Environment: VOLBACK_BUILD_DIR
# (default build), CI=true (missing prerequisites fail instead of skipping),
# VOLBACK_SKIP_STAGES (stages not to run, e.g. "integration,fuzz"; shown as skipped).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${VOLBACK_BUILD_DIR:-build}
export VOLBACK_BUILD_DIR=$build_dir
export VOLBACK_BIN=${VOLBACK_BIN:-$PWD/$build_dir/volback}
logs=$(mktemp -d "${TMPDIR:-/tmp}/volback-test-logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT

stage_names=()
stage_results=()
passed=0
failed=0

# stage NAME COMMAND... — runs COMMAND, tees its output to $logs/NAME.log, records time and result.
stage() {
  local name=$1 rc=0 start
  shift
  if [[ ,${VOLBACK_SKIP_STAGES:-}, == *,"$name",* ]]; then
    echo
    echo "===== stage $name: skipped (VOLBACK_SKIP_STAGES)"
    stage_names+=("$name")
    stage_results+=("skipped")
    : >"$logs/$name.log"
    return 0
  fi
  echo
  echo "===== stage $name: $*"
  start=$(date +%s)
  "$@" 2>&1 | tee "$logs/$name.log" || rc=${PIPESTATUS[0]}
  local secs=$(($(date +%s) - start))
  stage_names+=("$name")
  if ((rc == 0)); then
    stage_results+=("ok      ${secs}s")
  else
    stage_results+=("FAILED  ${secs}s (exit $rc)")
  fi
  echo "===== stage $name: $([[ $rc == 0 ]] && echo ok || echo "FAILED (exit $rc)") in ${secs}s"
  return "$rc"
}

summary() {
  echo
  echo "===== summary"
  local i
  for i in "${!stage_names[@]}"; do
    printf '  %-12s %s\n' "${stage_names[$i]}" "${stage_results[$i]}"
  done
  echo "$passed passed, $failed failed"
}

abort() {
  failed=$((failed + 1))
  summary
  exit 1
}

stage deps bash scripts/install-deps.sh || abort
stage build bash scripts/build.sh || abort

status=0
if stage layering bash scripts/check-layering.sh; then :; else
  status=1
  failed=$((failed + 1))
fi
if stage format bash scripts/check-format.sh; then :; else
  status=1
  failed=$((failed + 1))
fi

# count_ctest NAME RC — adds the counts of the ctest run logged by stage NAME.
count_ctest() {
  local name=$1 rc=$2 line n_failed n_total
  # ctest closes with "NN% tests passed, F tests failed out of T".
  if line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$logs/$name.log" | tail -n 1); then
    read -r n_failed n_total < <(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/' <<<"$line")
    passed=$((passed + n_total - n_failed))
    failed=$((failed + n_failed))
    ((rc == 0 || n_failed > 0)) || failed=$((failed + 1))
  elif ((rc != 0)); then
    failed=$((failed + 1))
  fi
  ((rc == 0)) || status=1
}

unit_rc=0
stage unit ctest --test-dir "$build_dir" --output-on-failure -j2 || unit_rc=$?
count_ctest unit "$unit_rc"

asan_rc=0
stage asan bash scripts/sanitize.sh asan || asan_rc=$?
count_ctest asan "$asan_rc"

tsan_rc=0
stage tsan bash scripts/sanitize.sh tsan || tsan_rc=$?
count_ctest tsan "$tsan_rc"

# The fuzz targets were built by the asan stage, in its build directory; two run at a time.
fuzz_targets=(manifest env_file cron s3_xml docker_json decompress tar_reader checked_archive decrypt dropbox_json gdrive_json restic_tree)
fuzz_rc=0
stage fuzz env VOLBACK_FUZZ_BUILD_DIR=build-asan bash scripts/fuzz.sh --no-build --time 15 --jobs 2 \
  "${fuzz_targets[@]}" || fuzz_rc=$?
fuzz_ok=$(grep -cE '^fuzz: [a-z0-9_]+ +ok ' "$logs/fuzz.log" || true)
fuzz_failed=$(grep -cE '^fuzz: [a-z0-9_]+ +FAILED ' "$logs/fuzz.log" || true)
passed=$((passed + fuzz_ok))
failed=$((failed + fuzz_failed))
((fuzz_rc == 0 || fuzz_failed > 0)) || failed=$((failed + 1))
((fuzz_rc == 0)) || status=1

it_rc=0
stage integration bash tests/integration/run.sh "$@" || it_rc=$?
if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/integration.log" | tail -n 1); then
  read -r it_passed _ it_failed _ <<<"$line"
  passed=$((passed + it_passed))
  failed=$((failed + it_failed))
  ((it_rc == 0 || it_failed > 0)) || failed=$((failed + 1))
elif ((it_rc != 0)); then
  failed=$((failed + 1))
fi
((it_rc == 0)) || status=1

summary
exit "$status"
