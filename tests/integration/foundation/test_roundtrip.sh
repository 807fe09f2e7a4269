#!/usr/bin/env bash
# Round trip: a tree with every kind of entry and metadata is backed up with gz (default and
# parallel), zst and none, extracted with GNU tar, and compared byte for byte and attribute for
# attribute. A 9 GiB sparse file checks that, with VOLBACK_TAR_SPARSE=true, holes are kept as holes
# and never read in full (test_every_tar.sh covers the default, dense layout).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_root
for tool in tar gzip zstd file getfattr setfattr getfacl setfacl cmp; do require_tool "$tool"; done
require_xattr_acl "$T"

GiB=$((1024 * 1024 * 1024))
SPARSE_SIZE=$((9 * GiB))
SPARSE_REL=sparse/big.img
# Data regions of the sparse file: offset and the file holding their bytes.
CHUNK1_OFF=$GiB
CHUNK2_OFF=$((17 * GiB / 2))
MAX_TAR_BYTES=$((64 * 1024 * 1024))

step "building the source tree in $SRC"
s=$SRC
mkdir -p "$s/files" "$s/links" "$s/empty-dir" "$s/owned" "$s/attrs" "$s/modes" "$s/sparse" "$s/times"
make_random_file "$s/files/random-1k.bin" 1000
make_random_file "$s/files/random-300k.bin" $((300 * 1024))
make_random_file "$s/files/random-3m.bin" $((3 * 1024 * 1024 + 17))
: >"$s/files/empty.txt"
printf 'plain text\n' >"$s/files/plain.txt"

printf 'linked content\n' >"$s/links/original.txt"
ln "$s/links/original.txt" "$s/links/hardlink.txt"
ln -s original.txt "$s/links/symlink"
ln -s ../files "$s/links/dir-symlink"
ln -s does-not-exist "$s/links/dangling"
chown -h 70:70 "$s/links/symlink"

printf 'secret\n' >"$s/owned/postgres.conf"
chown 70:70 "$s/owned/postgres.conf"
chmod 0600 "$s/owned/postgres.conf"
chown 1000:1000 "$s/owned"
chmod 0750 "$s/owned"

printf 'setuid\n' >"$s/modes/setuid"
chmod 4755 "$s/modes/setuid"
mkdir "$s/modes/sticky"
chmod 1777 "$s/modes/sticky"

unicode_name='überprüfung-日本.txt'
printf 'unicode\n' >"$s/$unicode_name"

c200=$(printf 'd%.0s' {1..200})
c60=$(printf 'e%.0s' {1..60})
c100=$(printf 'f%.0s' {1..100})
long_rel=long/$c200/$c60/$c100.txt
mkdir -p "$s/long/$c200/$c60"
printf 'long path\n' >"$s/$long_rel"
((${#long_rel} > 300)) || fail "long path is only ${#long_rel} bytes"

printf 'xattr\n' >"$s/attrs/xattr.txt"
setfattr -n user.volback.test -v hello "$s/attrs/xattr.txt"
setfattr -n user.volback.binary -v 0x00ff10 "$s/attrs/xattr.txt"
printf 'acl\n' >"$s/attrs/acl.txt"
setfacl -m u:1234:r "$s/attrs/acl.txt"
mkdir "$s/attrs/acl-dir"
setfacl -m u:1234:rx -d -m u:1234:rx "$s/attrs/acl-dir"

make_random_file "$T/chunk1" 8192
make_random_file "$T/chunk2" 5120
truncate -s "$SPARSE_SIZE" "$s/$SPARSE_REL"
dd if="$T/chunk1" of="$s/$SPARSE_REL" bs=4096 seek=$((CHUNK1_OFF / 4096)) conv=notrunc status=none
dd if="$T/chunk2" of="$s/$SPARSE_REL" bs=1024 seek=$((CHUNK2_OFF / 1024)) conv=notrunc status=none
assert_eq "$SPARSE_SIZE" "$(stat -c %s "$s/$SPARSE_REL")" "sparse source size"

printf 'nanoseconds\n' >"$s/times/ns.txt"
touch -d '2021-08-29 04:00:00.123456789' "$s/times/ns.txt"
printf 'old\n' >"$s/times/old.txt"
touch -d '1999-12-31 23:59:59' "$s/times/old.txt"
touch -h -d '2020-02-02 02:02:02.5' "$s/links/symlink"

# range_equal FILE_A OFF_A FILE_B OFF_B LEN — compares LEN bytes without reading anything else.
range_equal() {
  cmp -s <(dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$5" bs=64K status=none) \
    <(dd if="$3" iflag=skip_bytes,count_bytes skip="$4" count="$5" bs=64K status=none)
}

check_sparse() {
  local f=$1 allocated
  assert_eq "$SPARSE_SIZE" "$(stat -c %s "$f")" "size of extracted sparse file"
  allocated=$(($(stat -c %b "$f") * $(stat -c %B "$f")))
  ((allocated < 16 * 1024 * 1024)) ||
    fail "extracted sparse file allocates $allocated bytes: holes were not kept"
  range_equal "$f" "$CHUNK1_OFF" "$T/chunk1" 0 8192 || fail "sparse data at 1 GiB differs"
  range_equal "$f" "$CHUNK2_OFF" "$T/chunk2" 0 5120 || fail "sparse data at 8.5 GiB differs"
  range_equal "$f" $((CHUNK1_OFF - 4096)) /dev/zero 0 4096 || fail "hole before 1 GiB is not zero"
  range_equal "$f" $((4 * GiB)) /dev/zero 0 65536 || fail "hole at 4 GiB is not zero"
  range_equal "$f" $((SPARSE_SIZE - 4096)) /dev/zero 0 4096 || fail "tail of sparse file is not zero"
}

# roundtrip LABEL EXTENSION FILE_DESCRIPTION [VAR=VALUE...]
roundtrip() {
  local label=$1 ext=$2 magic=$3
  shift 3
  local dir=$T/archive-$label ex=$T/extract-$label archive name t0 stamp ts member
  mkdir -p "$dir"
  step "backup ($label)"
  t0=$(date +%s)
  run_volback BACKUP_ARCHIVE="$dir" "$@"
  assert_success
  archive=$(single_archive "$dir")
  name=${archive##*/}
  [[ $name =~ ^backup-([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2})-([0-9]{2})-([0-9]{2})\.${ext//./\\.}$ ]] ||
    fail "archive name '$name' does not match backup-%Y-%m-%dT%H-%M-%S.$ext"
  stamp="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}:${BASH_REMATCH[3]}:${BASH_REMATCH[4]}"
  ts=$(date -u -d "$stamp" +%s)
  ((ts >= t0 - 2 && ts <= $(date +%s) + 2)) || fail "timestamp in '$name' is not the time of the run"
  grep -F 'msg="Backup completed successfully"' "$VOLBACK_LOG" | grep -qF "$name" ||
    fail "the success log line does not name $name"
  assert_eq 1 "$(find "$dir" -mindepth 1 | wc -l)" "entries in $dir (the archive only)"
  file -b "$archive" | grep -qF "$magic" || fail "file(1) says '$(file -b "$archive")', expected '$magic'"
  case $ext in
    tar.gz) gzip -t "$archive" || fail "gzip -t rejects $name" ;;
    tar.zst) zstd -q -t "$archive" || fail "zstd -t rejects $name" ;;
  esac
  local tar_bytes
  tar_bytes=$(uncompressed_size_capped "$archive" "$MAX_TAR_BYTES")
  ((tar_bytes <= MAX_TAR_BYTES)) ||
    fail "the tar stream of $name exceeds 64 MiB: the 9 GiB sparse file was stored densely"

  step "listing and extracting $name"
  list_archive "$archive" >"$T/members-$label"
  ! grep -q '^/' "$T/members-$label" || fail "archive members must not start with '/'"
  for member in "files/random-3m.bin" "$unicode_name" "$long_rel" "$SPARSE_REL" "empty-dir"; do
    grep -qxF -e "${SRC#/}/$member" -e "${SRC#/}/$member/" "$T/members-$label" ||
      fail "member ${SRC#/}/$member missing from $name"
  done
  extract_archive "$archive" "$ex"
  compare_trees --no-content "$SPARSE_REL" "$SRC" "$(extracted_source "$ex")"
  check_sparse "$(extracted_source "$ex")/$SPARSE_REL"
  rm -rf "$ex"
}

# none first: its archive size tells directly whether holes were stored as holes.
roundtrip none tar "POSIX tar archive" BACKUP_COMPRESSION=none VOLBACK_TAR_SPARSE=true
roundtrip gz tar.gz "gzip compressed data" VOLBACK_TAR_SPARSE=true
roundtrip gz-parallel tar.gz "gzip compressed data" BACKUP_COMPRESSION=gz GZIP_PARALLELISM=2 VOLBACK_TAR_SPARSE=true
roundtrip zst tar.zst "Zstandard compressed data" BACKUP_COMPRESSION=zst VOLBACK_TAR_SPARSE=true

step "the source tree is unchanged"
assert_eq "$SPARSE_SIZE" "$(stat -c %s "$s/$SPARSE_REL")" "sparse source size"
echo "ok"
