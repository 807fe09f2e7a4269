#include <volback/compress/deflate_block.hpp>

#define ZLIB_CONST
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <fmt/format.h>

namespace volback::compress {

namespace {

// Room for incompressible input: stored blocks add 5 bytes per 64 KiB, plus headers.
std::size_t output_bound(std::size_t input) {
  return input + input / 64 + 4096;
}

class IsalDeflater final : public BlockDeflater {
 public:
  explicit IsalDeflater(int level) : m_level(static_cast<std::uint32_t>(level)) {
    switch (level) {
    case 0: m_level_buf.resize(ISAL_DEF_LVL0_DEFAULT); break;
    case 1: m_level_buf.resize(ISAL_DEF_LVL1_DEFAULT); break;
    case 2: m_level_buf.resize(ISAL_DEF_LVL2_DEFAULT); break;
    default: m_level_buf.resize(ISAL_DEF_LVL3_DEFAULT); break;
    }
  }

  util::Result<void> compress(std::span<const std::byte> dictionary, std::span<const std::byte> input, BlockEnd end,
                              std::vector<std::byte>& out) override {
    isal_zstream stream{};
    isal_deflate_init(&stream);
    stream.level = m_level;
    stream.level_buf = m_level_buf.empty() ? nullptr : m_level_buf.data();
    stream.level_buf_size = static_cast<std::uint32_t>(m_level_buf.size());
    stream.gzip_flag = IGZIP_DEFLATE;
    stream.end_of_stream = end == BlockEnd::final_block ? 1 : 0;
    stream.flush = end == BlockEnd::final_block ? NO_FLUSH : SYNC_FLUSH;
    if (!dictionary.empty()) {
      // isal_deflate_set_dict takes a non-const pointer but only reads the dictionary.
      auto* dict = const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(dictionary.data()));
      const int rc = isal_deflate_set_dict(&stream, dict, static_cast<std::uint32_t>(dictionary.size()));
      if (rc != COMP_OK) {
        return util::fail(util::ErrorKind::permanent, fmt::format("gzip: isal_deflate_set_dict failed ({})", rc));
      }
    }
    stream.next_in = const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(input.data()));
    stream.avail_in = static_cast<std::uint32_t>(input.size());
    out.resize(output_bound(input.size()));
    std::size_t used = 0;
    for (;;) {
      stream.next_out = reinterpret_cast<std::uint8_t*>(out.data() + used);
      stream.avail_out = static_cast<std::uint32_t>(out.size() - used);
      const int rc = isal_deflate(&stream);
      if (rc != COMP_OK) {
        return util::fail(util::ErrorKind::permanent, fmt::format("gzip: isal_deflate failed ({})", rc));
      }
      used = out.size() - stream.avail_out;
      const bool done = stream.avail_in == 0 &&
                        stream.internal_state.state == (end == BlockEnd::final_block ? ZSTATE_END : ZSTATE_NEW_HDR);
      if (done) {
        break;
      }
      if (stream.avail_out == 0) {
        out.resize(out.size() * 2);
      }
    }
    out.resize(used);
    return {};
  }

 private:
  std::uint32_t m_level;
  std::vector<std::uint8_t> m_level_buf;
};

class ZlibDeflater final : public BlockDeflater {
 public:
  explicit ZlibDeflater(int level) : m_level(level) {}
  ~ZlibDeflater() override {
    if (m_initialized) {
      deflateEnd(&m_stream);
    }
  }
  ZlibDeflater(const ZlibDeflater&) = delete;
  ZlibDeflater& operator=(const ZlibDeflater&) = delete;

  util::Result<void> init() {
    // Negative window bits: raw deflate, the gzip wrapper is written by the sink.
    const int rc = deflateInit2(&m_stream, m_level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
      return util::fail(util::ErrorKind::permanent, fmt::format("gzip: deflateInit2 failed (zlib error {})", rc));
    }
    m_initialized = true;
    return {};
  }

  util::Result<void> compress(std::span<const std::byte> dictionary, std::span<const std::byte> input, BlockEnd end,
                              std::vector<std::byte>& out) override {
    int rc = deflateReset(&m_stream);
    if (rc == Z_OK && !dictionary.empty()) {
      rc = deflateSetDictionary(&m_stream, reinterpret_cast<const Bytef*>(dictionary.data()),
                                static_cast<uInt>(dictionary.size()));
    }
    if (rc != Z_OK) {
      return util::fail(util::ErrorKind::permanent, fmt::format("gzip: deflate setup failed (zlib error {})", rc));
    }
    m_stream.next_in = reinterpret_cast<const Bytef*>(input.data());
    m_stream.avail_in = static_cast<uInt>(input.size());
    out.resize(deflateBound(&m_stream, static_cast<uLong>(input.size())) + 16);
    std::size_t used = 0;
    const int flush = end == BlockEnd::final_block ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      m_stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      m_stream.avail_out = static_cast<uInt>(out.size() - used);
      rc = deflate(&m_stream, flush);
      used = out.size() - m_stream.avail_out;
      if (rc == Z_STREAM_ERROR) {
        return util::fail(util::ErrorKind::permanent, "gzip: deflate failed (zlib stream error)");
      }
      // Done when the flush completed: Z_STREAM_END for the last block, output space left
      // over (so the sync marker was written) for the others.
      if (rc == Z_STREAM_END || (flush == Z_SYNC_FLUSH && m_stream.avail_in == 0 && m_stream.avail_out > 0)) {
        break;
      }
      if (m_stream.avail_out == 0) {
        out.resize(out.size() * 2);
      }
    }
    out.resize(used);
    return {};
  }

 private:
  int m_level;
  z_stream m_stream{};
  bool m_initialized = false;
};

}  // namespace

DeflateChoice deflate_engine_for_level(int level) {
  // See docs/performance.md: ISA-L's levels 1..3 are volback's 1..3 (3 to 10 times
  // zlib's speed, ratio between zlib's 1 and 4); zlib takes 4..9, where ISA-L has nothing.
  switch (level) {
  case 1: return {DeflateEngine::isal, 1};
  case 2: return {DeflateEngine::isal, 2};
  case 3: return {DeflateEngine::isal, 3};
  default: return {DeflateEngine::zlib, level};
  }
}

util::Result<std::unique_ptr<BlockDeflater>> make_block_deflater(DeflateChoice choice) {
  if (choice.engine == DeflateEngine::isal) {
    if (choice.engine_level < 0 || choice.engine_level > 3) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("gzip: ISA-L level {} is not within 0..3", choice.engine_level));
    }
    return std::make_unique<IsalDeflater>(choice.engine_level);
  }
  if (choice.engine_level < 1 || choice.engine_level > 9) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("gzip: zlib level {} is not within 1..9", choice.engine_level));
  }
  auto deflater = std::make_unique<ZlibDeflater>(choice.engine_level);
  VOLBACK_TRY(deflater->init());
  return std::unique_ptr<BlockDeflater>(std::move(deflater));
}

}  // namespace volback::compress
