#!/usr/bin/env bash
# SIGTERM inside a long entry. verify of a legitimate archive holding 8 GiB of zeros in one
# file (gzip members of 64 MiB of zeros, about 8 MB) and restore --to of one holding two 4 GiB
# sparse files of holes (PAX format 1.0) both take many seconds; each gets SIGTERM after 1 s
# and must exit, non-zero, within 2 s more (timeout --preserve-status -k 2 1: a run that lasts
# 3 s was killed). The restore leaves the world, its target included, as it was.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

# sigterm_run CASE MODE ARGS... — volback ARGS, SIGTERM after 1 s, SIGKILL 2 s later.
sigterm_run() {
  local name=$1 mode=$2
  shift 2
  reset_world
  snapshot
  run_begin "$name" "$mode" ""
  RUN_TIMEOUT=1 TIMEOUT_PRESERVE=1 vrun -- "$@"
  if ((VB_MS < 1000)); then
    problem "finished before the SIGTERM (the entry is not long enough here)"
  elif ((VOLBACK_RC == 137)); then
    problem "still running 2 s after SIGTERM (killed)"
  elif ((VOLBACK_RC == 0)); then
    problem "exit 0 after SIGTERM"
  fi
  expect_world_unchanged
  run_end
}

make_archive <<EOF
{"volumes": ["vol"], "entries": [{"path": "backup/vol/ok.txt", "data": "harmless\n"},
                                 {"path": "backup/vol/zeros.bin", "zeros": $((8 << 30))}]}
EOF
step "archive: $(stat -c %s "$ARCHIVE/$NAME") bytes"
sigterm_run "8 GiB of zeros in one gzip entry" "verify, SIGTERM after 1 s" verify "$NAME"

make_archive <<EOF
{"volumes": ["vol"], "entries": [
  {"path": "backup/vol/disk1.img", "sparse": {"realsize": $((4 << 30)), "segments": [[$((4 << 30)), {"data": ""}]]}},
  {"path": "backup/vol/disk2.img", "sparse": {"realsize": $((4 << 30)), "segments": [[$((4 << 30)), {"data": ""}]]}}]}
EOF
sigterm_run "two 4 GiB sparse files of holes" "restore --to, SIGTERM after 1 s" \
  restore "$NAME" --to "$TARGET" --overwrite

hostile_finish
