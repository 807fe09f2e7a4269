#!/usr/bin/env bash
# A 5 GiB stream, generated on the fly and never stored, goes once through a tee: to a
# digest, through volback's parallel gzip and pigz -dc, and through volback's zstd and
# zstd -dc. The SHA-256 of both outputs must equal that of the input. 5 GiB is past 2^32,
# so the gzip trailer's length field wraps.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/codec_lib.sh"
require_tool pigz
require_tool zstd

size=$((5 << 30))
mkfifo "$T/to_digest" "$T/to_zst"
sha256_of <"$T/to_digest" >"$T/want" &
digest_pid=$!
("$CODEC_TOOL" compress zst 0 0 <"$T/to_zst" | zstd -q -dc | sha256_of >"$T/zst") &
zst_pid=$!
"$CODEC_TOOL" generate "$size" 7 | tee "$T/to_digest" "$T/to_zst" |
  "$CODEC_TOOL" compress gz 0 0 | pigz -dc | sha256_of >"$T/gz"
wait "$digest_pid" || fail "digest of the input failed"
wait "$zst_pid" || fail "the zst branch failed"

want=$(cat "$T/want")
[[ ${#want} == 64 ]] || fail "no digest of the input: '$want'"
assert_eq "$want" "$(cat "$T/gz")" "5 GiB through gz and pigz -dc"
assert_eq "$want" "$(cat "$T/zst")" "5 GiB through zst and zstd -dc"
