#!/usr/bin/env bash
# The control case: a well-formed marked archive built by make_archive.py (every entry type,
# owners, modes, a nanosecond mtime, an xattr, a hard link, a sparse file in PAX format 1.0),
# gz, zst and uncompressed. It proves the generator right: its first header is a PAX global
# header (type g) with the VOLBACK records, GNU tar reads it, `volback verify` finds it intact,
# and `volback restore` (--to and in place) exits 0 and restores exactly what GNU tar extracts,
# changing nothing else in the world.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

control_spec() {
  cat <<EOF
{"volumes": ["vol"],
 "entries": [
  {"path": "backup/vol/a.txt", "data": "hello\n", "mtime_nsec": 123456789},
  {"path": "backup/vol/bin.dat", "random": 300000, "mode": "0600", "uid": 70, "gid": 70},
  {"path": "backup/vol/empty", "data": ""},
  {"path": "backup/vol/emptydir", "type": "dir", "mode": "0700"},
  {"path": "backup/vol/fifo", "type": "fifo", "mode": "0640"},
  {"path": "backup/vol/link", "type": "symlink", "link": "a.txt", "uid": 70, "gid": 70},
  {"path": "backup/vol/dangling", "type": "symlink", "link": "does-not-exist"},
  {"path": "backup/vol/sparse.img", "sparse": {"realsize": 4194304,
     "segments": [[8192, {"random": 8192}], [4194300, {"data": "end!"}]]}},
  {"path": "backup/vol/sub", "type": "dir", "mode": "0750", "uid": 1000, "gid": 1000},
  {"path": "backup/vol/sub/hard", "type": "hardlink", "link": "backup/vol/a.txt"},
  {"path": "backup/vol/sub/xattr.txt", "data": "x\n", "pax": {"SCHILY.xattr.user.volback": "hello"}},
  {"path": "backup/vol2/b.txt", "data": "vol2\n", "mode": "0444"}
 ]}
EOF
}

for comp in gz zst none; do
  case $comp in
    gz) NAME=backup-2026-11-01T00-00-00.tar.gz ;;
    zst) NAME=backup-2026-11-01T00-00-00.tar.zst ;;
    none) NAME=backup-2026-11-01T00-00-00.tar ;;
  esac
  control_spec | make_archive
  file=$ARCHIVE/$NAME

  run_begin "control $comp: the archive itself" "GNU tar, header" ""
  case $comp in
    gz) gzip -dc "$file" 2>/dev/null || true ;;
    zst) zstd -dc "$file" 2>/dev/null || true ;;
    none) head -c 1536 "$file" ;;
  esac | head -c 1536 >"$T/head.bin"
  [[ $(dd if="$T/head.bin" bs=1 skip=156 count=1 status=none) == g ]] ||
    problem "the first header is not a PAX global header (type g)"
  grep -qa 'VOLBACK.version=0.1.0' "$T/head.bin" || problem "no VOLBACK.version record"
  grep -qa 'VOLBACK.manifest=1' "$T/head.bin" || problem "no VOLBACK.manifest record"
  list_archive "$file" >"$T/names"
  [[ $(tail -n 1 "$T/names") == volback-manifest.json ]] || problem "the manifest is not the last entry"
  rm -rf "$T/expected"
  extract_archive "$file" "$T/expected"
  read -ra z <<<"$(tar_args_for "$file")"
  tar "${z[@]}" -xOf "$file" --warning=no-unknown-keyword volback-manifest.json >"$T/manifest.json"
  "$PY" - "$T/manifest.json" <<'EOF' || problem "the manifest does not parse as documented"
import json, sys
text = open(sys.argv[1]).read()
head, rows = text.split(',"entries":[\n', 1)
assert text.endswith("\n]}\n")
doc = json.loads(text)
assert doc["manifest_version"] == 1 and doc["sources"] == "backup"
assert doc["entry_count"] == len(doc["entries"]) == len(rows[:-4].split("\n"))
assert doc["volumes"]["vol"]["files"] == 5, doc["volumes"]
EOF
  not_volback "VOLBACK.manifest=1 in a type g header; GNU tar lists $(wc -l <"$T/names") entries"
  run_end

  reset_world
  snapshot
  run_begin "control $comp" verify intact
  vrun -- verify "$NAME"
  expect_exit 0
  expect_stdout "$NAME on Local: intact"
  expect_world_unchanged
  run_end

  reset_world
  snapshot --exclude target/vol --exclude target/vol2
  run_begin "control $comp" "restore --to" restored
  vrun -- restore "$NAME" --to "$TARGET" --overwrite
  expect_exit 0
  expect_world_unchanged
  for v in vol vol2; do
    diff <(tree_listing "$T/expected/backup/$v") <(tree_listing "$TARGET/$v") >"$T/restored.diff" ||
      { problem "$v differs from GNU tar's extraction"; head -n 20 "$T/restored.diff"; }
  done
  run_end

  reset_world
  snapshot --exclude backup/vol --exclude backup/vol2
  run_begin "control $comp" "restore --in-place" restored
  vrun -- restore "$NAME" --in-place --overwrite
  expect_exit 0
  expect_world_unchanged
  for v in vol vol2; do
    diff <(tree_listing "$T/expected/backup/$v") <(tree_listing "$SRC/$v") >"$T/restored.diff" ||
      { problem "$v differs from GNU tar's extraction"; head -n 20 "$T/restored.diff"; }
  done
  run_end
done

hostile_finish
