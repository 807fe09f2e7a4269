#!/usr/bin/env bash
# The parallel codecs on the edges of their blocks: empty input, 1 byte, exactly one gzip
# block (1 MiB), one block + 1, zeros and random data, with 1, 2 and 3 threads. Every
# output is checked by gzip -t, pigz -t or zstd -t, decompressed by the standard tool and
# by volback's own reader, and compared with the input.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/codec_lib.sh"
require_tool gzip
require_tool pigz
require_tool zstd

block=$((1 << 20))
mkdir -p "$T/in"
: >"$T/in/empty"
printf 'x' >"$T/in/one_byte"
"$CODEC_TOOL" generate "$block" 1 >"$T/in/one_block"
"$CODEC_TOOL" generate $((block + 1)) 2 >"$T/in/one_block_plus_one"
"$CODEC_TOOL" generate $((block - 1)) 3 >"$T/in/one_block_minus_one"
head -c $((3 * block + 5)) /dev/zero >"$T/in/zeros"
head -c $((3 * block + 7)) /dev/urandom >"$T/in/random"
"$CODEC_TOOL" generate $((5 * block + 3)) 4 >"$T/in/mixed"

checked=0
for input in "$T"/in/*; do
  name=${input##*/}
  want=$(sha256_of <"$input")
  for threads in 1 2 3; do
    step "$name, $threads thread(s)"
    "$CODEC_TOOL" compress gz 0 "$threads" <"$input" >"$T/out.gz" || fail "gz compress $name"
    gzip -t "$T/out.gz" || fail "gzip -t rejects $name ($threads threads)"
    pigz -t "$T/out.gz" || fail "pigz -t rejects $name ($threads threads)"
    assert_eq "$want" "$(gzip -dc "$T/out.gz" | sha256_of)" "gzip -dc of $name"
    assert_eq "$want" "$("$CODEC_TOOL" decompress gz <"$T/out.gz" | sha256_of)" "volback gz reader on $name"

    "$CODEC_TOOL" compress zst 0 "$threads" <"$input" >"$T/out.zst" || fail "zst compress $name"
    zstd -q -t "$T/out.zst" || fail "zstd -t rejects $name ($threads threads)"
    assert_eq "$want" "$(zstd -q -dc "$T/out.zst" | sha256_of)" "zstd -dc of $name"
    assert_eq "$want" "$("$CODEC_TOOL" decompress zst <"$T/out.zst" | sha256_of)" "volback zst reader on $name"
    checked=$((checked + 1))
  done
  # The readers also take what the standard tools write.
  assert_eq "$want" "$(gzip -6 -c "$input" | "$CODEC_TOOL" decompress gz | sha256_of)" "volback gz reader on gzip's $name"
  assert_eq "$want" "$(pigz -6 -c "$input" | "$CODEC_TOOL" decompress gz | sha256_of)" "volback gz reader on pigz's $name"
  assert_eq "$want" "$(zstd -q -3 -T0 -c "$input" | "$CODEC_TOOL" decompress zst | sha256_of)" "volback zst reader on zstd's $name"
done

step "every gz level on one input"
for level in 1 2 3 4 5 6 7 8 9; do
  "$CODEC_TOOL" compress gz "$level" 2 <"$T/in/mixed" >"$T/out.gz"
  gzip -t "$T/out.gz" || fail "gzip -t rejects level $level"
  assert_eq "$(sha256_of <"$T/in/mixed")" "$(gzip -dc "$T/out.gz" | sha256_of)" "gz level $level"
done
echo "checked $checked input/thread combinations"
