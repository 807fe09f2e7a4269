#!/usr/bin/env bash
# Builds volback's libFuzzer targets (fuzz/, docs/fuzzing.md) and runs each on a copy of its
# seed corpus for a while. Fails on any crash, sanitizer report, leak, timeout or OOM, and
# prints where the input that caused it was saved.
#
#   scripts/fuzz.sh [--time SECONDS] [--jobs N] [--no-build] [TARGET...]
#
#   --time SECONDS  how long each target runs (default 60)
#   --jobs N        how many targets run at once (default 1; each is one process)
#   --no-build      use the targets already built
#   TARGET...       some of: manifest env_file cron s3_xml docker_json decompress tar_reader
#                   checked_archive decrypt dropbox_json gdrive_json restic_tree
#                   (default all)
#
# The committed corpus, fuzz/corpus/<target>/, is copied to a temporary directory first, so it
# never grows; inputs that found new coverage are thrown away with it (keep one by copying it
# into fuzz/corpus/<target>/ by hand). The crashing input of a failed target is kept in
# $VOLBACK_FUZZ_ARTIFACTS (default fuzz-artifacts/ at the repository root, ignored by git):
# reproduce with `<build>/fuzz/<target> <file>`.
#
# Environment: VOLBACK_FUZZ_BUILD_DIR (default build-fuzz; configured on first use with the
# `fuzz` preset: clang -O1, VOLBACK_FUZZ=ON, ASan and UBSan), VOLBACK_JOBS (build jobs,
# default 2), VOLBACK_FUZZ_ARTIFACTS (see above).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

all_targets=(manifest env_file cron s3_xml docker_json decompress tar_reader checked_archive decrypt dropbox_json gdrive_json restic_tree)
# Largest input per target (bytes): a little above the largest seed.
declare -A max_len=(
  [manifest]=16384 [env_file]=4096 [cron]=256 [s3_xml]=8192 [docker_json]=8192
  [decompress]=16384 [tar_reader]=65536 [checked_archive]=65536 [decrypt]=16384 [dropbox_json]=8192 [gdrive_json]=8192
  [restic_tree]=16384
)

seconds=60
parallel=1
build=1
targets=()
while (($#)); do
  case $1 in
    --time) seconds=$2; shift 2 ;;
    --time=*) seconds=${1#*=}; shift ;;
    --jobs) parallel=$2; shift 2 ;;
    --jobs=*) parallel=${1#*=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *)
      [[ -n ${max_len[$1]+x} ]] || { echo "fuzz: unknown target $1 (${all_targets[*]})" >&2; exit 2; }
      targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")
[[ $seconds =~ ^[0-9]+$ && $parallel =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: bad --time or --jobs" >&2; exit 2; }

build_dir=${VOLBACK_FUZZ_BUILD_DIR:-build-fuzz}
artifacts=$(realpath -m "${VOLBACK_FUZZ_ARTIFACTS:-fuzz-artifacts}")

if ((build)); then
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
    cmake --preset fuzz -B "$build_dir"
  elif ! grep -q '^VOLBACK_FUZZ:BOOL=ON$' "$build_dir/CMakeCache.txt"; then
    echo "fuzz: $build_dir is not configured with VOLBACK_FUZZ=ON" >&2
    exit 1
  fi
  build_targets=()
  for t in "${targets[@]}"; do build_targets+=("volback_fuzz_$t"); done
  cmake --build "$build_dir" -j"${VOLBACK_JOBS:-2}" --target "${build_targets[@]}"
fi

# Sanitizer settings: any report is fatal and names its stack. libFuzzer itself turns a
# report, a leak (-detect_leaks, on by default), a slow input (-timeout) or too much memory
# (-rss_limit_mb, -malloc_limit_mb) into a failure with the input saved.
# Stack traces need llvm-symbolizer on PATH; Debian's llvm-14 has it only under its own bin.
if ! command -v llvm-symbolizer >/dev/null && [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export PATH=$PATH:/usr/lib/llvm-14/bin
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/volback-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

# run_target TARGET — one libFuzzer run; its output goes to $work/TARGET.log.
run_target() {
  local t=$1 bin corpus dict=()
  bin=$(realpath "$build_dir/fuzz/$t")
  corpus=$work/corpus-$t
  mkdir -p "$corpus"
  cp -r "fuzz/corpus/$t/." "$corpus/"
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="$PWD/fuzz/dict/$t.dict")
  # Run in the temporary directory: a target never writes files, but libFuzzer may (fuzz-*.log).
  (cd "$work" && exec nice "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${max_len[$t]}" -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$corpus") \
    >"$work/$t.log" 2>&1
}

# report TARGET RC — one summary line; on failure the end of the log and the saved input.
report() {
  local t=$1 rc=$2 log=$work/$1.log execs cov
  execs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
  if ((rc == 0)); then
    printf 'fuzz: %-12s ok      %ss, %s execs, cov %s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}"
    return 0
  fi
  printf 'fuzz: %-12s FAILED  exit %s, %s execs, cov %s\n' "$t" "$rc" "${execs:-?}" "${cov:-?}"
  echo "----- $t: end of the log"
  grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)' "$log" | tail -n 60
  echo "-----"
  local saved
  saved=$(grep -oE "(Test unit|artifact) written to [^ ]+" "$log" | awk '{print $NF}' || true)
  if [[ -n $saved ]]; then
    echo "fuzz: $t: the input was saved to: $saved"
    echo "fuzz: reproduce with: $build_dir/fuzz/$t $saved"
  else
    echo "fuzz: $t: no input was saved (see the log above)"
  fi
  return 1
}

echo "fuzz: ${#targets[@]} target(s), ${seconds}s each, $parallel at a time; crashing inputs go to $artifacts"
status=0
pids=()
names=()
# wait_one INDEX — collects one running target.
wait_one() {
  local i=$1 rc=0
  wait "${pids[$i]}" || rc=$?
  report "${names[$i]}" "$rc" || status=1
}
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  names+=("$t")
  if ((${#pids[@]} >= parallel)); then
    wait_one 0
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait_one "$i"; done

if ((status == 0)); then
  echo "fuzz: all ${#targets[@]} target(s) ok"
else
  echo "fuzz: FAILED"
fi
exit "$status"
