#!/usr/bin/env bash
# The default archive layout is one every tar reads: BusyBox tar (as offen's restore how-to
# uses it), GNU tar and bsdtar extract a sparse file (stored dense), hard links, long names
# and a name that is not UTF-8 with the source's content, and no header carries an owner
# name (numeric owners only). volback's own restore punches the holes again.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_root
for tool in tar bsdtar busybox gzip sha256sum; do require_tool "$tool"; done
[[ -x /usr/bin/python3 ]] || fail "/usr/bin/python3 not found"

MiB=$((1024 * 1024))
step "a tree with a sparse file, hard links, long and non-UTF-8 names, numeric owners"
mkdir -p "$SRC/vol/links" "$SRC/vol/sparse"
make_random_file "$T/chunk" 8192
truncate -s $((32 * MiB)) "$SRC/vol/sparse/disk.img"
dd if="$T/chunk" of="$SRC/vol/sparse/disk.img" bs=4096 seek=2048 conv=notrunc status=none
printf 'linked\n' >"$SRC/vol/links/a"
ln "$SRC/vol/links/a" "$SRC/vol/links/b"
long_dir=$(printf 'd%.0s' {1..120})/$(printf 'e%.0s' {1..120})
mkdir -p "$SRC/vol/$long_dir"
long_rel=$long_dir/$(printf 'f%.0s' {1..150}).txt
printf 'long\n' >"$SRC/vol/$long_rel"
latin1=$'caf\xe9.txt'
printf 'latin-1\n' >"$SRC/vol/$latin1"
chown 70:70 "$SRC/vol/links/a"
chown 33:33 "$SRC/vol/$latin1"

# content_of DIR — every path with its type, numeric owner and, for files, SHA-256.
content_of() {
  (cd "$1" && find . -printf '%p %y %U:%G\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
want=$(content_of "$SRC")

run_volback
assert_success
archive=$(single_archive "$ARCHIVE")

step "no owner names and no sparse map in any header"
/usr/bin/python3 - "$archive" <<'EOF' || fail "a header names an owner or holds a sparse map"
import sys, tarfile
with tarfile.open(sys.argv[1], "r:gz") as t:
    for m in t.getmembers():
        if m.uname or m.gname:
            sys.exit(f"{m.name!r} names its owner {m.uname!r}:{m.gname!r}")
        if any(k.startswith("GNU.sparse") for k in m.pax_headers):
            sys.exit(f"{m.name!r} has a sparse map")
EOF

# extract_with LABEL COMMAND... — runs COMMAND in an empty directory and compares the result.
extract_with() {
  local label=$1 dir=$T/x-$1
  shift
  mkdir -p "$dir"
  (cd "$dir" && "$@") >"$T/$label.out" 2>&1 || { cat "$T/$label.out" >&2; fail "$label failed to extract"; }
  [[ ! -e $dir/GNUSparseFile.0 ]] || fail "$label extracted a GNUSparseFile.0 directory"
  assert_eq "$want" "$(content_of "$dir/${SRC#/}")" "what $label extracted"
  [[ $(stat -c %i "$dir/${SRC#/}/vol/links/a") == $(stat -c %i "$dir/${SRC#/}/vol/links/b") ]] ||
    fail "$label did not extract the hard link as one"
}

step "BusyBox tar"
extract_with busybox busybox tar -xzf "$archive"
step "GNU tar"
extract_with gnu tar --numeric-owner -xzf "$archive"
step "bsdtar"
extract_with bsdtar bsdtar --numeric-owner -xzf "$archive"

step "volback restore punches the holes again"
run_volback -- restore latest --backend local --to "$T/restored"
assert_exit 0
assert_eq "$(sha256sum <"$SRC/vol/sparse/disk.img")" "$(sha256sum <"$T/restored/vol/sparse/disk.img")" \
  "restored sparse file"
allocated=$(($(stat -c %b "$T/restored/vol/sparse/disk.img") * 512))
((allocated < 4 * MiB)) || fail "the restored sparse file allocates $allocated bytes: holes were filled"

step "VOLBACK_TAR_SPARSE=true keeps the PAX sparse map; VOLBACK_TAR_OWNER_NAMES=true the names"
rm -rf "$ARCHIVE" && mkdir -p "$ARCHIVE"
run_volback VOLBACK_TAR_SPARSE=true VOLBACK_TAR_OWNER_NAMES=true
assert_success
archive=$(single_archive "$ARCHIVE")
((($(stat -c %s "$archive")) < MiB)) || fail "the sparse layout stored the holes"
/usr/bin/python3 - "$archive" <<'EOF' || fail "the opt-in layout lacks owner names or the sparse map"
import sys, tarfile
with tarfile.open(sys.argv[1], "r:gz") as t:
    ms = t.getmembers()
    assert any(m.uname == "root" for m in ms), "no owner names"
    assert any(k.startswith("GNU.sparse") for m in ms for k in m.pax_headers), "no sparse map"
EOF
extract_with gnu-sparse tar --numeric-owner -xzf "$archive"
echo "ok"
