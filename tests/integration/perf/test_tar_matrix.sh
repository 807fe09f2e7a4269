#!/usr/bin/env bash
# Every combination of codec, GZIP_PARALLELISM (1, 2, 0) and BACKUP_COMPRESSION_LEVEL
# (gz 1/6/9, zst 1/3/9) gives an archive GNU tar extracts to the source tree, byte for
# byte. Also: the level's default and its range check.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/codec_lib.sh"
require_tool tar
require_tool gzip
require_tool zstd

# A tree that spans several 1 MiB gzip blocks and libzstd jobs: text, random, small files.
mkdir -p "$SRC/db" "$SRC/small/a/b" "$SRC/uploads"
"$CODEC_TOOL" generate $((3 << 20)) 11 >"$SRC/db/16384"
head -c $((2 << 20)) /dev/urandom >"$SRC/uploads/blob.bin"
for i in $(seq 1 40); do
  printf '{"id": %d, "name": "workflow %d"}\n' "$i" "$i" >"$SRC/small/a/b/wf-$i.json"
done
: >"$SRC/small/empty"

# content_manifest DIR — every path with its type and, for files, SHA-256 (one pass).
content_manifest() {
  (cd "$1" && find . -printf '%p %y\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
want=$(content_manifest "$SRC")

combos=0
for codec in gz zst; do
  if [[ $codec == gz ]]; then levels=(1 6 9); else levels=(1 3 9); fi
  for parallelism in 1 2 0; do
    for level in "${levels[@]}"; do
      rm -rf "$ARCHIVE" "$T/x"
      mkdir -p "$ARCHIVE"
      run_volback BACKUP_COMPRESSION="$codec" GZIP_PARALLELISM="$parallelism" \
        BACKUP_COMPRESSION_LEVEL="$level" BACKUP_FILENAME="m.{{ .Extension }}"
      assert_success
      file=$ARCHIVE/m.tar.$codec
      assert_file "$file"
      assert_eq "$codec" "$(compression_of "$file")" "codec of $file"
      extract_archive "$file" "$T/x"
      if ((combos == 0)); then
        # Metadata and content, once: the codec does not touch the tar stream.
        compare_trees "$SRC" "$(extracted_source "$T/x")"
      else
        assert_eq "$want" "$(content_manifest "$(extracted_source "$T/x")")" \
          "content of $codec, GZIP_PARALLELISM=$parallelism, level $level"
      fi
      combos=$((combos + 1))
    done
  done
done
assert_eq 18 "$combos" "combinations"

step "unset level: the codec's default"
rm -rf "$ARCHIVE"; mkdir -p "$ARCHIVE"
run_volback BACKUP_FILENAME="d.{{ .Extension }}"
assert_success
gzip -t "$ARCHIVE/d.tar.gz" || fail "gzip -t rejects the default-level archive"

step "a level out of the codec's range is a configuration error"
run_volback BACKUP_COMPRESSION=gz BACKUP_COMPRESSION_LEVEL=10
assert_exit 2
assert_contains BACKUP_COMPRESSION_LEVEL
run_volback BACKUP_COMPRESSION=zst BACKUP_COMPRESSION_LEVEL=fast
assert_exit 2
assert_contains BACKUP_COMPRESSION_LEVEL
