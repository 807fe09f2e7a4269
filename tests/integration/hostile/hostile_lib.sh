# shellcheck shell=bash disable=SC2034,SC2119,SC2120  # settings and optional arguments used by the tests
# Helpers of the hostile suite, sourced after ../lib.sh.
#
# The suite feeds volback archives that an attacker, a failing disk or another tool made, and
# volumes holding files an attacker planted, and checks that verify and restore refuse them
# clearly, in bounded time and memory, change nothing outside the restore target and leave a
# refused target exactly as it was.
#
# Time budget: at most about 3 minutes for the whole suite on a 2-core machine. Measured with
# the binary from before the fixes: 2 min 16 s, of which about 30 s wait for the 10 TB sparse
# entry's runs to be killed (BOUNDED_TIMEOUT) and 20 s for its 124 MB manifest; a binary that
# refuses those at once needs about 1.5 minutes (about 200 runs of volback, each between two
# listings of the world). The longest file, test_bounded_work, stays under 40 s, far below
# run.sh's 300 s.
#
# Every run of volback is one row of a results table: case, mode, exit, the relevant message
# line, time, verdict. A test goes through all its cases, prints the table and fails at the end
# if any row failed (so one run reports every case). With HOSTILE_RESULTS=FILE the rows are
# also appended to FILE (markdown), to collect a whole suite's results.

HOSTILE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3

require_root
require_tool /usr/bin/python3 python3
require_tool tar
require_tool gzip
require_tool zstd
require_tool /usr/bin/time time
require_tool timeout coreutils
require_tool mount util-linux

# ---------------------------------------------------------------------------------------------
# What the messages must contain (case-insensitive), in one place to adjust.

KW_UNSAFE=unsafe                  # an unsafe entry name, link or duplicate
KW_MANIFEST=manifest              # the archive does not match its manifest
KW_SPARSE=sparse                  # an absurd sparse entry
KW_SPARSE_SHORT=                  # a sparse map claiming more data than stored (exit 1 is enough)
KW_GZIP=gzip                      # a damaged gzip stream
KW_ZSTD=zstd                      # a damaged zstd stream
KW_SPACE=space                    # the target's file system is full
KW_NO_VERIFY=--no-verify          # a foreign archive is refused, naming the option that allows it
KW_NOTHING_CHANGED="nothing was changed"   # every refused restore of a marked archive says so
KW_CORRUPT=CORRUPT                # verify's verdict (stdout, exact case)
KW_NOT_A_DIR=directory            # restore --to a regular file
KW_BAD_VOLUME=volume              # --volume ../x, --volume ''

# A foreign archive with an unsafe entry: restore refuses it even with --no-verify, so verify
# calls it CORRUPT too (exit 1, "unsafe"), as for every archive restore refuses. 0: verify keeps
# reporting any foreign archive "readable, no manifest" (exit 0) whatever its entries.
FOREIGN_UNSAFE_IS_CORRUPT=1

RUN_TIMEOUT=30                    # seconds per volback run (then SIGTERM; SIGKILL 2 s later)
BOUNDED_TIMEOUT=8                 # the same for the cases of bounded work, which should end at once
BOUNDED_SECONDS=5                 # "a few seconds" for the cases of bounded work
MAX_RSS_KB=$((100 * 1024))        # peak RSS for the huge manifest

# The archive every case uses (the newest name; hostile archives replace it).
NAME=backup-2026-11-01T00-00-00.tar.gz

# ---------------------------------------------------------------------------------------------
# The world: the restore target with its surroundings. Every run starts from a fresh copy of
# the pristine world; the whole world is listed (tree_listing.py: paths, types, modes, owners,
# sizes, mtimes, link targets, xattrs, content hashes) before and after.
#
#   $W/outside/...            files an attacker would like to reach
#   $W/sibling.txt, $W/sibling-dir/...
#   $W/target/vol, vol2       the --to target, with old content (restores use --overwrite)
#   $W/backup/vol, vol2       BACKUP_SOURCES for in-place restores, with old content
#   $W/backup-sibling/...     a sibling of BACKUP_SOURCES

W=$T/world
PRISTINE=$T/world.pristine
SRC=$W/backup
TARGET=$W/target
SNAP_BEFORE=$T/world.before
SNAP_AFTER=$T/world.after

make_pristine_world() {
  local p=$PRISTINE d
  rm -rf "$p"
  mkdir -p "$p/outside/sub" "$p/sibling-dir" "$p/backup-sibling"
  printf 'outside file\n' >"$p/outside/f.txt"
  printf 'outside secret\n' >"$p/outside/outside-secret.txt"
  printf 'outside nested\n' >"$p/outside/sub/outside-nested.txt"
  chown 1234:1234 "$p/outside/outside-secret.txt"
  chmod 0640 "$p/outside/outside-secret.txt"
  printf 'sibling\n' >"$p/sibling.txt"
  printf 'sibling dir file\n' >"$p/sibling-dir/s.txt"
  printf 'next to the sources\n' >"$p/backup-sibling/bs.txt"
  for d in target backup; do
    mkdir -p "$p/$d/vol/olddir" "$p/$d/vol2"
    printf 'old content of %s/vol\n' "$d" >"$p/$d/vol/old.txt"
    printf 'old nested\n' >"$p/$d/vol/olddir/x.txt"
    ln -s old.txt "$p/$d/vol/old-link"
    printf 'old vol2\n' >"$p/$d/vol2/old2.txt"
    chown 70:70 "$p/$d/vol2/old2.txt"
  done
  # Fixed times in the past: anything volback touches gets a different mtime.
  find "$p" -depth -exec touch -h -d '2020-02-02 02:02:02.123456789' {} +
}

# reset_world — $W becomes a fresh copy of the pristine world.
reset_world() {
  [[ -d $PRISTINE ]] || make_pristine_world
  rm -rf "$W"
  cp -a "$PRISTINE" "$W"
}

# tree_listing DIR [--exclude REL]... — one line per entry (tree_listing.py).
tree_listing() { "$PY" "$HOSTILE_DIR/tree_listing.py" "$@"; }

# tree_digest DIR — one checksum over everything under DIR, DIR itself included; excludes nothing.
# (The checks below compare the listings themselves, which is the same test and shows what
# changed.)
tree_digest() { tree_listing "$1" | sha256sum | cut -d' ' -f1; }

# snapshot [--exclude REL]... — lists the world before a run (the same excludes for the compare).
SNAP_EXCLUDES=()
snapshot() {
  SNAP_EXCLUDES=("$@")
  tree_listing "$W" "${SNAP_EXCLUDES[@]}" >"$SNAP_BEFORE"
  snapshot_host
}

# What the hostile entries aim at beyond the test's own directory: /etc/passwd must not change
# and no file named volback-hostile-<pid> may appear in /etc, /, /tmp or /backup/vol.
HOST_PROBE=volback-hostile-$$
HOST_PROBES=("/etc/$HOST_PROBE" "/$HOST_PROBE" "/tmp/$HOST_PROBE" "/backup/vol/$HOST_PROBE" /backup)
host_state() {
  local f
  stat -c '%a %u:%g %s %Y %h %i' /etc/passwd
  sha256sum </etc/passwd
  for f in "${HOST_PROBES[@]}"; do
    if [[ -e $f || -L $f ]]; then echo "$f exists"; else echo "$f absent"; fi
  done
}
snapshot_host() { host_state >"$T/host.before"; }
host_problems() {
  host_state >"$T/host.after"
  diff "$T/host.before" "$T/host.after" | sed -n 's/^> /host changed: /p'
  local f
  for f in "${HOST_PROBES[@]:0:4}"; do
    if grep -qxF "$f absent" "$T/host.before" && [[ -e $f || -L $f ]]; then rm -f "$f"; fi
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# Running volback

# vrun [VAR=VALUE]... -- ARGS... — run_volback under `timeout -k 2 $RUN_TIMEOUT` and
# /usr/bin/time; sets VB_MS (elapsed) and VB_RSS_KB (peak RSS). With TIMEOUT_PRESERVE=1 the exit
# status is volback's own after timeout's SIGTERM (timeout --preserve-status).
vrun() {
  rm -f "$T/rss"
  local -a pre=()
  [[ ${TIMEOUT_PRESERVE:-0} == 1 ]] && pre=(--preserve-status)
  VOLBACK_WRAPPER=(/usr/bin/time -f %M -o "$T/rss" timeout "${pre[@]}" -k 2 "$RUN_TIMEOUT")
  local t0 t1
  t0=$(date +%s%N)
  VB_TIMEOUT=$RUN_TIMEOUT
  run_volback "$@"
  t1=$(date +%s%N)
  VOLBACK_WRAPPER=()
  VB_MS=$(((t1 - t0) / 1000000))
  VB_RSS_KB=$(tail -n 1 "$T/rss" 2>/dev/null || echo 0)
  [[ $VB_RSS_KB =~ ^[0-9]+$ ]] || VB_RSS_KB=0
  echo "  elapsed $(fmt_ms "$VB_MS"), peak RSS $((VB_RSS_KB / 1024)) MiB"
}

fmt_ms() { printf '%d.%01ds' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# exit_text CODE — the exit status for people.
exit_text() {
  case $1 in
    124) echo "timeout: SIGTERM after ${VB_TIMEOUT}s" ;;
    137) echo "killed: SIGTERM after ${VB_TIMEOUT}s, SIGKILL 2s later" ;;
    134) echo "134 crash (SIGABRT)" ;;
    139) echo "139 crash (SIGSEGV)" ;;
    *) echo "$1" ;;
  esac
}

# message_line [KEYWORD] — the line of the last run that matters: the first one holding
# KEYWORD, else verify's verdict and first problem, else the first error or uncaught exception,
# else the first line of stdout, else the first line of stderr that is not INFO, else its last.
message_line() {
  local kw=${1:-} line=
  if [[ -n $kw ]]; then
    line=$(grep -ihF -m1 -- "$kw" "$VOLBACK_OUT" "$VOLBACK_LOG" 2>/dev/null | head -n 1 || true)
  fi
  if [[ -z $line ]] && grep -q 'CORRUPT\|intact\|readable' "$VOLBACK_OUT" 2>/dev/null; then
    line=$(grep -m2 -e 'CORRUPT\|intact\|readable' -e '^  ' "$VOLBACK_OUT" | paste -sd' ')
  fi
  [[ -n $line ]] || line=$(grep -m1 'level=ERROR' "$VOLBACK_LOG" 2>/dev/null || true)
  [[ -n $line ]] || line=$(grep -m1 -e '^terminate called' -e 'what():' "$VOLBACK_LOG" 2>/dev/null || true)
  [[ -n $line ]] || line=$(grep -m1 -v '^$' "$VOLBACK_OUT" 2>/dev/null || true)
  [[ -n $line ]] || line=$(grep -m1 -v -e '^$' -e 'level=INFO' "$VOLBACK_LOG" 2>/dev/null || true)
  [[ -n $line ]] || line=$(grep -v '^$' "$VOLBACK_LOG" 2>/dev/null | tail -n 1 || true)
  [[ -n $line ]] || line="(no output)"
  line=${line#time=* level=}
  line=${line//"$T"/\$T}
  line=${line//|/\\|}
  printf '%s' "${line:0:170}"
}

# ---------------------------------------------------------------------------------------------
# Soft checks: every problem of a run is collected; run_end records the row.

RESULT_ROWS=()
VB_TIMEOUT=$RUN_TIMEOUT
VB_MS=0
VB_RSS_KB=0
FAILED_ROWS=0
RUN_CASE=
RUN_MODE=
RUN_KW=
RUN_PROBLEMS=()

run_begin() {
  RUN_CASE=$1
  RUN_MODE=$2
  RUN_KW=${3:-}
  RUN_PROBLEMS=()
  step "$RUN_CASE [$RUN_MODE]"
}

problem() {
  RUN_PROBLEMS+=("$*")
  echo "  problem: $*"
}

# expect_exit CODE... — the last run exited with one of CODEs.
expect_exit() {
  local c
  for c in "$@"; do [[ $VOLBACK_RC == "$c" ]] && return 0; done
  problem "exit $(exit_text "$VOLBACK_RC") (want ${*// / or })"
}

# expect_keyword KEYWORD — stdout or stderr holds KEYWORD (case-insensitive); empty: no check.
expect_keyword() {
  [[ -z $1 ]] && return 0
  grep -qiF -- "$1" "$VOLBACK_OUT" "$VOLBACK_LOG" || problem "no '$1'"
}

# expect_stdout TEXT — stdout holds TEXT (exact case).
expect_stdout() {
  grep -qF -- "$1" "$VOLBACK_OUT" || problem "no '$1' on stdout"
}

# expect_within SECONDS — the last run took at most SECONDS.
expect_within() {
  ((VB_MS <= $1 * 1000)) || problem "took $(fmt_ms "$VB_MS"), more than $1 s"
}

# expect_world_unchanged — the world (less the snapshot's excludes) is as before, and so is
# the host (see snapshot_host).
expect_world_unchanged() {
  tree_listing "$W" "${SNAP_EXCLUDES[@]}" >"$SNAP_AFTER"
  if ! diff -u "$SNAP_BEFORE" "$SNAP_AFTER" >"$T/world.diff"; then
    local n
    n=$(grep -c '^[-+][^-+]' "$T/world.diff" || true)
    problem "world changed ($n lines)"
    sed -n '1,30p' "$T/world.diff" | cut -c1-200
  fi
  local h
  while IFS= read -r h; do [[ -n $h ]] && problem "$h"; done < <(host_problems)
}

# expect_no_setuid — no file with the setuid or setgid bit anywhere under the world.
expect_no_setuid() {
  local found
  found=$(find "$W" \( -perm -4000 -o -perm -2000 \) -printf '%P ' 2>/dev/null | cut -c1-200)
  [[ -z $found ]] || problem "setuid/setgid in the world: $found"
}

# run_end — records the row of the run that was checked.
run_end() {
  local verdict=PASS msg
  ((${#RUN_PROBLEMS[@]} == 0)) || verdict="FAIL: $(printf '%s; ' "${RUN_PROBLEMS[@]}")"
  [[ $verdict == PASS ]] || FAILED_ROWS=$((FAILED_ROWS + 1))
  msg=$(message_line "$RUN_KW")
  verdict=${verdict//|/\\|}
  RESULT_ROWS+=("| $RUN_CASE | $RUN_MODE | $(exit_text "$VOLBACK_RC") | $msg | $(fmt_ms "$VB_MS") | ${verdict:0:220} |")
  echo "  -> ${verdict:0:300}"
}

# hostile_finish — prints the table; fails the test if any row failed.
hostile_finish() {
  local header="| case | mode | exit | message | time | verdict |"$'\n'"|---|---|---|---|---|---|"
  echo
  echo "$header"
  printf '%s\n' "${RESULT_ROWS[@]}"
  if [[ -n ${HOSTILE_RESULTS:-} ]]; then
    printf '%s\n' "${RESULT_ROWS[@]}" | sed "s#^| #| ${TEST_NAME##*/}: #" >>"$HOSTILE_RESULTS"
  fi
  ((FAILED_ROWS == 0)) || fail "$FAILED_ROWS of ${#RESULT_ROWS[@]} runs failed (table above)"
  echo "PASS"
}

# ---------------------------------------------------------------------------------------------
# Archives

# make_archive [OUT] <<<SPEC_JSON — builds an archive from a JSON spec on stdin
# (make_archive.py); OUT (default $ARCHIVE/$NAME) unless the spec names one. Every other
# archive in $ARCHIVE is removed first, so `latest` and the listing see only this one.
make_archive() {
  local out=${1:-$ARCHIVE/$NAME}
  find "$ARCHIVE" -mindepth 1 -maxdepth 1 ! -name "${out##*/}" -exec rm -f {} +
  cat >"$T/spec.json"
  "$PY" "$HOSTILE_DIR/make_archive.py" "$T/spec.json" "$out" >/dev/null ||
    fail "make_archive.py failed for: $(cat "$T/spec.json")"
}

# not_volback ROW_TEXT — the row of a check without a volback run shows ROW_TEXT as its message.
not_volback() {
  VOLBACK_RC=0
  VB_MS=0
  printf '%s\n' "$1" >"$VOLBACK_OUT"
  : >"$VOLBACK_LOG"
}

# ---------------------------------------------------------------------------------------------
# The standard checks of a hostile archive ($ARCHIVE/$NAME)

# refused CASE KEYWORD [--foreign] [--modes "verify to inplace"] [--within S] [--max-rss KB]
#   verify: exit 1, CORRUPT, KEYWORD, nothing changed (see FOREIGN_UNSAFE_IS_CORRUPT);
#   restore --to $TARGET --overwrite and restore --in-place --overwrite (both with --no-verify
#   for a foreign archive): exit 1, KEYWORD, "nothing was changed" (marked archives), the whole
#   world exactly as before, no setuid file anywhere in it.
refused() {
  local name=$1 kw=$2 foreign=0 modes="verify to inplace" within="" max_rss="" mode
  shift 2
  while (($#)); do
    case $1 in
      --foreign) foreign=1 ;;
      --modes) modes=$2; shift ;;
      --within) within=$2; shift ;;
      --max-rss) max_rss=$2; shift ;;
      *) fail "refused: unknown option $1" ;;
    esac
    shift
  done
  local -a nv=()
  ((foreign)) && nv=(--no-verify)
  for mode in $modes; do
    reset_world
    snapshot
    case $mode in
      verify)
        run_begin "$name" verify "$kw"
        vrun -- verify "$NAME"
        if ((foreign && !FOREIGN_UNSAFE_IS_CORRUPT)); then
          expect_exit 0
          expect_stdout "readable, no manifest"
          expect_world_unchanged
          run_end
          continue
        fi
        expect_exit 1
        expect_stdout "$KW_CORRUPT"
        ;;
      to)
        run_begin "$name" "restore --to${nv:+ }${nv[*]}" "$kw"
        vrun -- restore "$NAME" --to "$TARGET" --overwrite "${nv[@]}"
        expect_exit 1
        ((foreign)) || expect_keyword "$KW_NOTHING_CHANGED"
        ;;
      inplace)
        run_begin "$name" "restore --in-place${nv:+ }${nv[*]}" "$kw"
        vrun -- restore "$NAME" --in-place --overwrite "${nv[@]}"
        expect_exit 1
        ((foreign)) || expect_keyword "$KW_NOTHING_CHANGED"
        ;;
      *) fail "refused: unknown mode $mode" ;;
    esac
    expect_keyword "$kw"
    [[ -n $within ]] && expect_within "$within"
    [[ -n $max_rss ]] && { ((VB_RSS_KB < max_rss)) || problem "peak RSS $((VB_RSS_KB / 1024)) MiB, limit $((max_rss / 1024)) MiB"; }
    expect_world_unchanged
    expect_no_setuid
    run_end
  done
}

# unsafe_case CASE ENTRIES_JSON — the entries (a JSON array for make_archive.py, after a
# `backup/vol` directory) as a marked archive whose manifest lists every entry truthfully, and
# as a foreign one (GNU format, no mark, no manifest; restored with --no-verify). Both are
# refused with KW_UNSAFE (`refused`: verify, restore --to, restore --in-place).
unsafe_case() {
  local name=$1 entries=$2
  make_archive <<EOF
{"volumes": ["vol"], "entries": $entries}
EOF
  refused "$name (marked)" "$KW_UNSAFE"
  make_archive <<EOF
{"mark": false, "manifest": false, "format": "gnu", "volumes": ["vol"], "entries": $entries}
EOF
  refused "$name (foreign)" "$KW_UNSAFE" --foreign
}
