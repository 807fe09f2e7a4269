#include <volback/compress/zstd_source.hpp>

#include <zstd.h>

#include <optional>
#include <vector>

#include <fmt/format.h>

namespace volback::compress {

namespace {

struct DctxDeleter {
  void operator()(ZSTD_DCtx* dctx) const { ZSTD_freeDCtx(dctx); }
};

class ZstdSource final : public io::Source {
 public:
  explicit ZstdSource(io::Source& next) : m_next(next), m_dctx(ZSTD_createDCtx()), m_in(ZSTD_DStreamInSize() * 8) {
    if (!m_dctx) {
      m_error = util::Error(util::ErrorKind::permanent, "zstd: cannot allocate a decompression context");
    }
  }

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (m_error) {
      return util::fail(*m_error);
    }
    if (buf.empty() || m_eof) {
      return 0;
    }
    for (;;) {
      if (m_pos == m_size && !m_input_done) {
        auto got = m_next.read(std::span(m_in));
        if (!got) {
          m_error = got.error();
          return util::fail(got.error());
        }
        m_pos = 0;
        m_size = *got;
        m_input_done = *got == 0;
      }
      ZSTD_inBuffer in{m_in.data(), m_size, m_pos};
      ZSTD_outBuffer out{buf.data(), buf.size(), 0};
      const std::size_t rc = ZSTD_decompressStream(m_dctx.get(), &out, &in);
      const bool progressed = in.pos > m_pos || out.pos > 0;
      m_pos = in.pos;
      if (ZSTD_isError(rc)) {
        return fail(util::ErrorKind::corrupt, fmt::format("zstd: the data is corrupt: {}", ZSTD_getErrorName(rc)));
      }
      if (progressed) {
        m_started = true;
        // rc == 0: a frame ended exactly here and was fully flushed. (A call without
        // progress returns the next frame's header size, which says nothing.)
        m_frame_open = rc != 0;
      }
      if (out.pos > 0) {
        return out.pos;
      }
      if (m_pos == m_size && m_input_done) {
        if (m_frame_open || !m_started) {
          return fail(util::ErrorKind::corrupt, "zstd: the data is truncated (unexpected end of stream)");
        }
        m_eof = true;
        return 0;
      }
    }
  }

 private:
  tl::unexpected<util::Error> fail(util::ErrorKind kind, std::string message) {
    m_error = util::Error(kind, std::move(message));
    return util::fail(*m_error);
  }

  io::Source& m_next;
  std::unique_ptr<ZSTD_DCtx, DctxDeleter> m_dctx;
  std::vector<std::byte> m_in;
  std::size_t m_pos = 0;
  std::size_t m_size = 0;
  bool m_input_done = false;
  bool m_started = false;
  bool m_frame_open = false;
  bool m_eof = false;
  std::optional<util::Error> m_error;
};

}  // namespace

std::unique_ptr<io::Source> make_zstd_source(io::Source& next) {
  return std::make_unique<ZstdSource>(next);
}

}  // namespace volback::compress
