#!/usr/bin/env bash
# Builds and runs the unit tests under the sanitizers (the asan and tsan stages of
# scripts/test.sh; docs/fuzzing.md):
#
#   scripts/sanitize.sh asan   ASan + UBSan (clang -O1, preset `asan`, build-asan/): builds every
#                              target, the fuzz targets too (the fuzz stage runs them), and runs
#                              the whole unit suite
#   scripts/sanitize.sh tsan   ThreadSanitizer (clang -O1, preset `tsan`, build-tsan/): builds the
#                              four test programs with threaded code and runs the tests of the
#                              threaded parts (k_tsan_tests below)
#
# Any sanitizer report fails the test it happens in: UBSan does not recover
# (-fno-sanitize-recover), and ASan, LSan and TSan halt on the first report. The runtime options
# below are defaults; ASAN_OPTIONS, UBSAN_OPTIONS and TSAN_OPTIONS set by the caller win.
# Extra arguments go to ctest (e.g. -R TarReader). Environment: VOLBACK_JOBS (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=${1:-}
shift || true
jobs=${VOLBACK_JOBS:-2}

# The tests of the threaded parts: the compressors (all of compress/), the S3 uploads (part
# workers), the manifest's hashing thread, the tailing copies (and the growing file they
# read), the daemon (one thread per schedule) and the backup job that runs them together.
k_tsan_tests='^(Codecs/|CodecTest\.|GzipSinkTest\.|CompressionSettingsTest\.|S3BackendTest\.|ThreadedObserver\.|TailingCopies\.|GrowingFileSource\.|Daemon\.|RunDaemon|BackupJobTest\.|BackupJobPhasesTest\.|ArchiverTest\.|PartPool\.|ReadAheadSource\.|BytePipe\.|ResticRepositoryLock\.|ResticSnapshotReader\.|ResticPackPipeline\.|ResticRepositoryCheck\.)'
k_tsan_targets=(volback_compress_test volback_io_test volback_restic_test volback_storage_test volback_storage_s3_test volback_archive_test volback_app_backup_test volback_app_daemon_test)

# Stack traces need llvm-symbolizer on PATH; Debian's llvm-14 has it only under its own bin.
if ! command -v llvm-symbolizer >/dev/null && [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export PATH=$PATH:/usr/lib/llvm-14/bin
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:history_size=4}

case $mode in
  asan)
    cmake --preset asan
    cmake --build build-asan -j"$jobs"
    ctest --test-dir build-asan --output-on-failure -j"$jobs" "$@"
    ;;
  tsan)
    cmake --preset tsan
    cmake --build build-tsan -j"$jobs" --target "${k_tsan_targets[@]}"
    ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R "$k_tsan_tests" "$@"
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [CTEST_ARGS...]" >&2
    exit 2
    ;;
esac
