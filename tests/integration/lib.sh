# shellcheck shell=bash
# Helpers for volback's integration tests. A test sources it first:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# Each test runs in its own temporary directory $T (given by run.sh as TEST_TMPDIR, or created
# here when a test is started by hand) with its own lock file and state directory, so tests
# never touch /var/lock, /var/lib/volback, /backup or /archive and never collide.
#
# Exit status of a test: 0 passed, 77 skipped (only outside CI), anything else failed.

set -euo pipefail
umask 022
export LC_ALL=C.UTF-8
export TZ=UTC

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VOLBACK_BIN=${VOLBACK_BIN:-$REPO_ROOT/build/volback}
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

# ---------------------------------------------------------------------------------------------
# Reporting

# fail MESSAGE... — ends the test as failed; shows where, and the last volback log if any.
fail() {
  local i
  echo "FAIL: $*" >&2
  for ((i = 1; i < ${#FUNCNAME[@]}; i++)); do
    [[ ${BASH_SOURCE[i]} == "${BASH_SOURCE[0]}" ]] && continue
    echo "  at ${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]} (${FUNCNAME[i]})" >&2
    break
  done
  if [[ -n ${VOLBACK_LOG:-} && -s ${VOLBACK_LOG:-} ]]; then
    echo "--- log of the last volback run (exit ${VOLBACK_RC:-?}): ${VOLBACK_LAST_CMD:-} ---" >&2
    tail -n 40 "$VOLBACK_LOG" >&2
    echo "--- end ---" >&2
  fi
  exit 1
}

# skip REASON — skips the test locally; under CI=true a missing prerequisite is a failure.
skip() {
  if [[ ${CI:-} == true ]]; then
    fail "prerequisite missing under CI (skipping is not allowed): $*"
  fi
  echo "SKIP: $*"
  exit 77
}

# step TEXT — a progress line in the test's log.
step() { echo "== $*"; }

# require_tool COMMAND [DEBIAN_PACKAGE]
require_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  skip "tool '$1' not found (Debian package ${2:-$1}; scripts/install-deps.sh installs it)"
}

require_root() {
  [[ $(id -u) == 0 ]] || skip "must run as root"
}

# require_xattr_acl DIR — the file system under DIR must support user xattrs and POSIX ACLs.
require_xattr_acl() {
  local probe
  probe=$(mktemp "$1/.xattr-probe.XXXXXX")
  setfattr -n user.volback.probe -v 1 "$probe" 2>/dev/null ||
    { rm -f "$probe"; skip "file system under $1 has no user xattrs"; }
  setfacl -m u:1234:r "$probe" 2>/dev/null ||
    { rm -f "$probe"; skip "file system under $1 has no POSIX ACLs"; }
  rm -f "$probe"
}

# ---------------------------------------------------------------------------------------------
# Assertions

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
  [[ $1 == "$2" ]] || fail "${3:-value}: expected '$1', got '$2'"
}

# assert_file PATH — a regular file (not a symlink) exists.
assert_file() {
  [[ -f $1 && ! -L $1 ]] || fail "expected a regular file at $1"
}

assert_no_file() {
  [[ ! -e $1 && ! -L $1 ]] || fail "expected nothing at $1"
}

assert_dir() {
  [[ -d $1 && ! -L $1 ]] || fail "expected a directory at $1"
}

# assert_contains NEEDLE [FILE] — FILE (default: the log of the last volback run,
# $VOLBACK_LOG) contains the fixed string NEEDLE.
assert_contains() {
  local file=${2:-$VOLBACK_LOG}
  grep -qF -- "$1" "$file" || fail "'$1' not found in ${file##*/}"
}

assert_not_contains() {
  local file=${2:-$VOLBACK_LOG}
  ! grep -qF -- "$1" "$file" || fail "'$1' unexpectedly found in ${file##*/}"
}

# assert_log_line LEVEL NEEDLE — a log line of level LEVEL (INFO, WARN, ERROR) contains NEEDLE.
assert_log_line() {
  grep -F -- "level=$1" "$VOLBACK_LOG" | grep -qF -- "$2" ||
    fail "no level=$1 log line containing '$2'"
}

# assert_exit CODE — exit status of the last run_volback.
assert_exit() {
  [[ ${VOLBACK_RC:-} == "$1" ]] || fail "volback exited ${VOLBACK_RC:-?}, expected $1"
}

# assert_success — exit 0 and both success messages logged.
assert_success() {
  assert_exit 0
  assert_contains 'msg="Backup completed successfully"'
  assert_contains 'msg="Finished running backup tasks."'
}

# assert_empty_dir DIR — DIR has no entries at all (hidden ones included).
assert_empty_dir() {
  local left
  left=$(find "$1" -mindepth 1 -maxdepth 1 -printf '%f ' 2>/dev/null || true)
  [[ -z $left ]] || fail "expected $1 to be empty, found: $left"
}

# ---------------------------------------------------------------------------------------------
# Per-test isolation

if [[ -n ${TEST_TMPDIR:-} ]]; then
  T=$TEST_TMPDIR
  mkdir -p "$T"
else
  T=$(mktemp -d "${TMPDIR:-/tmp}/volback-test.XXXXXX")
  # Started by hand: clean up on success, keep the directory for inspection on failure.
  cleanup_standalone() {
    local rc=$?
    if [[ $rc == 0 ]]; then rm -rf "$T"; else echo "kept $T" >&2; fi
  }
  trap cleanup_standalone EXIT
fi
T=$(cd "$T" && pwd -P)
export VOLBACK_LOCK_FILE=$T/run/volback.lock
export VOLBACK_STATE_DIR=$T/state
# The default source and archive directories of run_volback.
SRC=$T/backup
ARCHIVE=$T/archive
mkdir -p "$T/run" "$SRC" "$ARCHIVE" "$T/logs"

VOLBACK_LOG=$T/volback.log
VOLBACK_OUT=$T/volback.stdout
# Set to a file: the stderr of a run that logs on stdout goes there instead of into
# $VOLBACK_LOG, so $VOLBACK_LOG is that run's stdout alone.
VOLBACK_STDERR=
VOLBACK_RC=
VOLBACK_RUNS=0
VOLBACK_LAST_CMD=
# Commands put before `env` when running volback, e.g. (setpriv --reuid=65534 ...).
VOLBACK_WRAPPER=()
# Executable to run instead of $VOLBACK_BIN (e.g. the `backup` symlink).
VOLBACK_EXE=

# logs_on_stdout EXE [ARG...] — whether volback run as EXE with ARGs logs on stdout: a backup
#   and the daemon do (`volback backup`, `volback daemon`, `volback` alone; offen's `backup` and
#   `backup -foreground`), as offen does; every other command logs on stderr, its stdout being
#   its result (Verb::logs in src/volback/cli/verbs.hpp), and so does help (--help, --version).
logs_on_stdout() {
  local exe=$1 arg
  shift
  for arg in "$@"; do
    case $arg in print-config | -h | -help | --help | --version) return 1 ;; esac
  done
  [[ ${exe##*/} == backup ]] || (($# == 0)) || [[ $1 == backup || $1 == daemon ]]
}

# open_volback_streams EXE [ARG...] — opens the files the next run writes to, as the file
#   descriptors VOLBACK_FD_OUT (its stdout) and VOLBACK_FD_ERR (its stderr). A run that logs on
#   stdout writes both streams into $VOLBACK_LOG, in order, as `docker logs` shows them
#   (stderr into $VOLBACK_STDERR instead when that is set) and leaves $VOLBACK_OUT empty; any
#   other run writes its stdout (its result) to $VOLBACK_OUT and its log to $VOLBACK_LOG.
#   close_volback_streams closes them in this shell once the run has them.
open_volback_streams() {
  if logs_on_stdout "$@"; then
    : >"$VOLBACK_OUT"
    exec {VOLBACK_FD_OUT}>"$VOLBACK_LOG"
    if [[ -n $VOLBACK_STDERR ]]; then
      exec {VOLBACK_FD_ERR}>"$VOLBACK_STDERR"
    else
      exec {VOLBACK_FD_ERR}>&"$VOLBACK_FD_OUT"
    fi
  else
    exec {VOLBACK_FD_OUT}>"$VOLBACK_OUT" {VOLBACK_FD_ERR}>"$VOLBACK_LOG"
  fi
}

close_volback_streams() {
  exec {VOLBACK_FD_OUT}>&- {VOLBACK_FD_ERR}>&-
}

# run_volback [VAR=VALUE]... [-- ARG...]
#   Runs volback in a clean environment: PATH, HOME=$T, TZ=UTC, the test's VOLBACK_LOCK_FILE and
#   VOLBACK_STATE_DIR, BACKUP_SOURCES=$SRC and BACKUP_ARCHIVE=$ARCHIVE, then the given
#   assignments (which override those). Arguments after `--` replace the default `backup`
#   (a bare `--` runs with no arguments). Its log goes to $VOLBACK_LOG, the result a command
#   prints to $VOLBACK_OUT (open_volback_streams), the exit status to $VOLBACK_RC; never fails
#   by itself.
run_volback() {
  local -a assigns=() args=(backup)
  while (($#)); do
    if [[ $1 == -- ]]; then
      shift
      args=("$@")
      break
    elif [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
      assigns+=("$1")
      shift
    else
      fail "run_volback: unexpected argument '$1' (put command arguments after --)"
    fi
  done
  local exe=${VOLBACK_EXE:-$VOLBACK_BIN}
  [[ -x $exe ]] || fail "volback binary not found at $exe (build it with scripts/build.sh)"
  local -a base=(
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    HOME="$T" TZ=UTC
    VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR"
    BACKUP_SOURCES="$SRC" BACKUP_ARCHIVE="$ARCHIVE"
  )
  VOLBACK_RUNS=$((VOLBACK_RUNS + 1))
  VOLBACK_LAST_CMD="${assigns[*]} ${exe##*/} ${args[*]}"
  VOLBACK_RC=0
  open_volback_streams "$exe" "${args[@]}"
  "${VOLBACK_WRAPPER[@]}" env -i "${base[@]}" "${assigns[@]}" "$exe" "${args[@]}" \
    >&"$VOLBACK_FD_OUT" 2>&"$VOLBACK_FD_ERR" {VOLBACK_FD_OUT}>&- {VOLBACK_FD_ERR}>&- </dev/null || VOLBACK_RC=$?
  close_volback_streams
  cp "$VOLBACK_LOG" "$T/logs/run-$VOLBACK_RUNS.log"
  echo "volback run $VOLBACK_RUNS: $VOLBACK_LAST_CMD -> exit $VOLBACK_RC"
}

# ---------------------------------------------------------------------------------------------
# Archives

# archive_files DIR — regular files directly in DIR (no symlinks, no dot files), sorted.
archive_files() {
  find "$1" -mindepth 1 -maxdepth 1 -type f ! -name '.*' -printf '%f\n' | LC_ALL=C sort
}

# single_archive DIR — prints the path of the only regular file in DIR; fails otherwise.
single_archive() {
  local -a files
  mapfile -t files < <(archive_files "$1")
  [[ ${#files[@]} == 1 ]] || fail "expected exactly one archive in $1, found ${#files[@]}: ${files[*]}"
  echo "$1/${files[0]}"
}

# compression_of FILE — gz, zst or none, from the file's magic bytes.
compression_of() {
  local magic
  magic=$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')
  case $magic in
    1f8b*) echo gz ;;
    28b52ffd) echo zst ;;
    *) echo none ;;
  esac
}

# tar_args_for FILE — GNU tar's decompression option for FILE (none for a plain tar).
tar_args_for() {
  case $(compression_of "$1") in
    gz) echo --gzip ;;
    zst) echo --zstd ;;
  esac
}

# list_archive FILE — member names, one a line.
list_archive() {
  local -a z
  read -ra z <<<"$(tar_args_for "$1")"
  tar "${z[@]}" --warning=no-unknown-keyword -tf "$1" || fail "tar cannot list $1"
}

# extract_archive FILE DEST — GNU tar extraction keeping owners, modes, times, xattrs, ACLs.
extract_archive() {
  local -a z
  read -ra z <<<"$(tar_args_for "$1")"
  mkdir -p "$2"
  tar "${z[@]}" -x -f "$1" -C "$2" --same-owner --numeric-owner --preserve-permissions \
    --xattrs --xattrs-include='*' --acls --warning=no-unknown-keyword 2>"$T/tar.stderr" ||
    { cat "$T/tar.stderr" >&2; fail "GNU tar failed to extract $1"; }
}

# extracted_source DEST — where the source tree lands when an archive is extracted into DEST
# (members are the source paths without their leading slash).
extracted_source() { echo "$1/${SRC#/}"; }

# uncompressed_size_capped FILE CAP — bytes of FILE's tar stream, reading at most CAP+1 bytes.
uncompressed_size_capped() {
  local cap=$2
  case $(compression_of "$1") in
    gz) { gzip -dc "$1" 2>/dev/null || true; } | head -c $((cap + 1)) | wc -c ;;
    zst) { zstd -dc "$1" 2>/dev/null || true; } | head -c $((cap + 1)) | wc -c ;;
    *) stat -c %s "$1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Trees

# make_random_file PATH BYTES
make_random_file() {
  mkdir -p "$(dirname "$1")"
  head -c "$2" /dev/urandom >"$1"
}

# tree_manifest DIR [REL...] — one line per entry (sorted by path) with everything compare_trees
# checks: type, permission bits, numeric owner, mtime with nanoseconds, size, link count,
# hard-link group (the first path sharing the inode), symlink target, SHA-256 of the content
# (except for the paths REL given, relative to DIR), then the entry's xattrs and extended ACL.
tree_manifest() {
  local root=$1
  shift
  local -A no_content=() first_path=()
  local r rel p line type mode uid gid size nlink ino mtime
  for r in "$@"; do no_content[./${r#./}]=1; done
  while IFS= read -r -d '' rel; do
    p=$root/${rel#./}
    [[ $rel == . ]] && p=$root
    IFS='|' read -r type mode uid gid size nlink ino mtime \
      < <(TZ=UTC stat -c '%F|%a|%u|%g|%s|%h|%i|%y' -- "$p")
    line="$rel|$type|owner=$uid:$gid|mtime=$mtime"
    case $type in
      directory)
        line+="|mode=$mode"
        ;;
      "symbolic link")
        line+="|target=$(readlink -- "$p")"
        ;;
      "regular file" | "regular empty file")
        line+="|mode=$mode|size=$size|nlink=$nlink"
        if ((nlink > 1)); then
          [[ -n ${first_path[$ino]:-} ]] || first_path[$ino]=$rel
          line+="|linkgroup=${first_path[$ino]}"
        fi
        if [[ -z ${no_content[$rel]:-} ]]; then
          line+="|sha256=$(sha256sum <"$p" | cut -d' ' -f1)"
        fi
        ;;
      *)
        line+="|mode=$mode|rdev=$(stat -c '%t:%T' -- "$p")"
        ;;
    esac
    echo "$line"
    [[ $type == "symbolic link" ]] && continue
    getfattr -h -d -m - -e hex --absolute-names -- "$p" 2>/dev/null |
      grep -v -e '^#' -e '^$' | LC_ALL=C sort | sed "s#^#$rel|xattr|#" || true
    getfacl --skip-base -p -n --omit-header -- "$p" 2>/dev/null |
      grep -v '^$' | sed "s#^#$rel|acl|#" || true
  done < <(cd "$root" && find . -print0 | LC_ALL=C sort -z)
}

# compare_trees [--no-content REL]... EXPECTED ACTUAL — fails unless both trees have the same
# entries with the same bytes and metadata (see tree_manifest). REL paths (relative to the tree
# roots) are compared without reading their content, e.g. a huge sparse file checked otherwise.
compare_trees() {
  local -a skip=()
  while [[ ${1:-} == --no-content ]]; do
    skip+=("$2")
    shift 2
  done
  local a=$1 b=$2
  [[ -d $a ]] || fail "compare_trees: $a is not a directory"
  [[ -d $b ]] || fail "compare_trees: $b is not a directory"
  local ma mb
  ma=$(mktemp "$T/manifest.XXXXXX")
  mb=$(mktemp "$T/manifest.XXXXXX")
  tree_manifest "$a" "${skip[@]}" >"$ma"
  tree_manifest "$b" "${skip[@]}" >"$mb"
  if ! diff -u --label "expected:$a" --label "actual:$b" "$ma" "$mb" >"$T/compare.diff"; then
    head -n 60 "$T/compare.diff" >&2
    fail "trees differ: $a vs $b"
  fi
  rm -f "$ma" "$mb" "$T/compare.diff"
}
