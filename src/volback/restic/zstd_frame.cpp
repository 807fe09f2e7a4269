#include <volback/restic/zstd_frame.hpp>

#include <memory>

#include <fmt/format.h>
#include <zstd.h>

namespace volback::restic {

namespace {

constexpr int k_restic_level = 3;
constexpr int k_restic_window_log = 19;  // 512 KiB

struct CCtxFree {
  void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
};

ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx = [] {
    std::unique_ptr<ZSTD_CCtx, CCtxFree> made(ZSTD_createCCtx());
    if (made) {
      ZSTD_CCtx_setParameter(made.get(), ZSTD_c_compressionLevel, k_restic_level);
      ZSTD_CCtx_setParameter(made.get(), ZSTD_c_checksumFlag, 0);
      ZSTD_CCtx_setParameter(made.get(), ZSTD_c_contentSizeFlag, 1);
      ZSTD_CCtx_setParameter(made.get(), ZSTD_c_windowLog, k_restic_window_log);
    }
    return made;
  }();
  return ctx.get();
}

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

util::Error zstd_corrupt(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("zstd frame: {}", why));
}

}  // namespace

util::Result<void> zstd_compress_append(std::span<const unsigned char> plaintext, std::string& out) {
  ZSTD_CCtx* ctx = thread_cctx();
  if (ctx == nullptr) {
    return util::fail(util::ErrorKind::permanent, "zstd: out of memory");
  }
  const std::size_t start = out.size();
  out.resize(start + ZSTD_compressBound(plaintext.size()));
  const std::size_t written =
    ZSTD_compress2(ctx, out.data() + start, out.size() - start, plaintext.data(), plaintext.size());
  if (ZSTD_isError(written) != 0U) {
    out.resize(start);
    ZSTD_CCtx_reset(ctx, ZSTD_reset_session_only);
    return util::fail(util::ErrorKind::permanent, fmt::format("zstd: {}", ZSTD_getErrorName(written)));
  }
  out.resize(start + written);
  return {};
}

util::Result<std::string> zstd_decompress_exact(std::span<const unsigned char> frame, std::size_t size) {
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) {
    return util::fail(zstd_corrupt("not exactly one frame"));
  }
  ZSTD_DCtx* ctx = thread_dctx();
  if (ctx == nullptr) {
    return util::fail(util::ErrorKind::permanent, "zstd: out of memory");
  }
  // One byte of room beyond `size` tells a longer frame from an exact one.
  std::string out(size + 1, '\0');
  const std::size_t written = ZSTD_decompressDCtx(ctx, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(written) != 0U) {
    return util::fail(zstd_corrupt(ZSTD_getErrorName(written)));
  }
  if (written != size) {
    return util::fail(zstd_corrupt(fmt::format("{} bytes where {} were announced", written, size)));
  }
  out.resize(size);
  return out;
}

util::Result<std::string> zstd_decompress_bounded(std::span<const unsigned char> frame, std::size_t max_size) {
  ZSTD_DCtx* ctx = thread_dctx();
  if (ctx == nullptr) {
    return util::fail(util::ErrorKind::permanent, "zstd: out of memory");
  }
  ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
  std::string out;
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  std::size_t remaining_hint = 1;
  while (remaining_hint != 0) {
    if (out.size() == max_size) {
      return util::fail(zstd_corrupt(fmt::format("larger than {} bytes", max_size)));
    }
    const std::size_t start = out.size();
    out.resize(std::min(max_size, std::max<std::size_t>(2 * start, 64 * 1024)));
    ZSTD_outBuffer buffer{out.data(), out.size(), start};
    remaining_hint = ZSTD_decompressStream(ctx, &buffer, &in);
    if (ZSTD_isError(remaining_hint) != 0U) {
      ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
      return util::fail(zstd_corrupt(ZSTD_getErrorName(remaining_hint)));
    }
    out.resize(buffer.pos);
    if (remaining_hint != 0 && in.pos == in.size && buffer.pos < buffer.size) {
      ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
      return util::fail(zstd_corrupt("truncated"));
    }
  }
  if (in.pos != in.size) {
    return util::fail(zstd_corrupt("data after the frame"));
  }
  return out;
}

}  // namespace volback::restic
