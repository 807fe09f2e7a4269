# shellcheck shell=bash
# Helpers of the perf suite, sourced after ../lib.sh.

# The codec tool is built next to the volback binary (tools/codec_tool_main.cpp).
CODEC_TOOL=${VOLBACK_CODEC_TOOL:-$(dirname "$VOLBACK_BIN")/volback-codec-tool}
[[ -x $CODEC_TOOL ]] || fail "volback-codec-tool not found at $CODEC_TOOL (build it with scripts/build.sh)"

# sha256_of — the SHA-256 of stdin, hex only. OpenSSL's is several times faster than
# coreutils' on CPUs with SHA extensions, which matters for the 5 GiB stream.
if command -v openssl >/dev/null 2>&1; then
  sha256_of() { openssl dgst -sha256 -r | cut -d' ' -f1; }
else
  sha256_of() { sha256sum | cut -d' ' -f1; }
fi
