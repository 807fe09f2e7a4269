# shellcheck shell=bash
# Helpers of the restic suite: the restic binary on a repository with --no-cache (nothing
# cached from an earlier run can hide an error) and volback's repository writer.
require_tool restic restic
RESTIC_TOOL=${VOLBACK_RESTIC_TOOL:-$(dirname "$VOLBACK_BIN")/volback-restic-tool}
[[ -x $RESTIC_TOOL ]] || fail "volback-restic-tool not found at $RESTIC_TOOL (build it with scripts/build.sh)"
export RESTIC_PASSWORD=volback-restic-suite

# rr REPO ARGS... — restic on REPO, quietly.
rr() {
  local repo=$1
  shift
  restic --no-cache -q -r "$repo" "$@"
}

# make_restic_tree DIR — a tree with what a snapshot must keep: files below, at and above the
# chunker's minimum, a 20 MiB random file and a copy of it, an empty file, an empty
# directory, a symlink, a hard link, a FIFO, an extended attribute, modes with special bits
# and names that need escaping.
make_restic_tree() {
  local d=$1
  mkdir -p "$d/sub/deeper" "$d/empty-dir"
  printf 'hello\n' >"$d/small.txt"
  make_random_file "$d/sub/big.bin" $((20 << 20))
  cp "$d/sub/big.bin" "$d/sub/deeper/big-copy.bin"
  make_random_file "$d/sub/half.bin" $((512 << 10))
  head -c $((3 << 20)) /dev/zero >"$d/zeros.bin"
  : >"$d/empty.txt"
  ln -s small.txt "$d/link-to-small"
  ln "$d/small.txt" "$d/sub/hard-link.txt"
  mkfifo "$d/fifo"
  setfattr -n user.volback -v restic-xattr "$d/small.txt"
  printf 'odd\n' >"$d/tab	name \\ \"quoted\" <&> ä"
  chmod 4755 "$d/sub/half.bin"
  chmod 1777 "$d/empty-dir"
  touch -d '2021-03-04 05:06:07.123456789' "$d/zeros.bin"
}

# tool_field OUTPUT NAME — the value of NAME=... in volback-restic-tool's figures line.
tool_field() {
  sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"
}
