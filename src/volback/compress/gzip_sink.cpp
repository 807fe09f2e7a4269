#include <volback/compress/gzip_sink.hpp>

// Makes z_stream::next_in a pointer to const, so input needs no const_cast.
#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace volback::compress {

namespace {

constexpr int k_default_level = 6;
constexpr std::size_t k_out_buffer_size = 1 << 20;
// deflate's windowBits 15 plus 16 selects the gzip wrapper instead of zlib's.
constexpr int k_gzip_window_bits = 15 + 16;
constexpr int k_mem_level = 8;

class GzipSink final : public io::Sink {
public:
  GzipSink(const CompressOptions& options, io::Sink& next) : m_next(next), m_out(k_out_buffer_size) {
    const int level = options.level == 0 ? k_default_level : options.level;
    if (level < 1 || level > 9) {
      m_error = util::Error(util::ErrorKind::invalid_argument,
                            fmt::format("gzip compression level {} is not within 1..9", level));
      return;
    }
    const int rc = deflateInit2(&m_stream, level, Z_DEFLATED, k_gzip_window_bits, k_mem_level,
                                Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
      // Init errors surface on the first write()/finish(): the factory cannot fail.
      m_error = zlib_error("deflateInit2", rc);
      return;
    }
    m_initialized = true;
    reset_output();
  }

  ~GzipSink() override {
    if (m_initialized) {
      deflateEnd(&m_stream);
    }
  }

  GzipSink(const GzipSink&) = delete;
  GzipSink& operator=(const GzipSink&) = delete;

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(check_usable());
    while (!data.empty()) {
      // avail_in is 32 bits wide: feed huge spans in pieces.
      const std::size_t chunk = std::min<std::size_t>(data.size(), UINT_MAX);
      m_stream.next_in = reinterpret_cast<const Bytef*>(data.data());
      m_stream.avail_in = static_cast<uInt>(chunk);
      while (m_stream.avail_in > 0) {
        VOLBACK_TRY(flush_if_full());
        // With input and output space available deflate always progresses, so any
        // result other than Z_OK (including Z_BUF_ERROR) is a failure.
        const int rc = deflate(&m_stream, Z_NO_FLUSH);
        if (rc != Z_OK) {
          return fail(zlib_error("deflate", rc));
        }
      }
      data = data.subspan(chunk);
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check_usable());
    m_stream.next_in = nullptr;
    m_stream.avail_in = 0;
    while (true) {
      VOLBACK_TRY(flush_if_full());
      const int rc = deflate(&m_stream, Z_FINISH);
      if (rc == Z_STREAM_END) {
        break;
      }
      if (rc != Z_OK) {
        return fail(zlib_error("deflate", rc));
      }
    }
    VOLBACK_TRY(flush_output());
    m_finished = true;
    return fail_on_error(m_next.finish());
  }

private:
  static util::Error zlib_error(std::string_view what, int rc) {
    return util::Error(util::ErrorKind::permanent, fmt::format("gzip: {} failed (zlib error {})", what, rc));
  }

  util::Result<void> check_usable() const {
    if (m_error) {
      return util::fail(*m_error);
    }
    if (m_finished) {
      return util::fail(util::ErrorKind::permanent, "gzip: the stream was already finished");
    }
    return {};
  }

  // Records `error` so later calls fail too: after an error the sink is unusable.
  tl::unexpected<util::Error> fail(util::Error error) {
    m_error = error;
    return util::fail(std::move(error));
  }

  util::Result<void> fail_on_error(util::Result<void> result) {
    if (!result) {
      return fail(result.error());
    }
    return {};
  }

  void reset_output() {
    m_stream.next_out = m_out.data();
    m_stream.avail_out = static_cast<uInt>(m_out.size());
  }

  util::Result<void> flush_if_full() {
    if (m_stream.avail_out == 0) {
      return flush_output();
    }
    return {};
  }

  util::Result<void> flush_output() {
    const std::size_t used = m_out.size() - m_stream.avail_out;
    if (used > 0) {
      VOLBACK_TRY(fail_on_error(m_next.write(std::as_bytes(std::span(m_out.data(), used)))));
    }
    reset_output();
    return {};
  }

  io::Sink& m_next;
  z_stream m_stream{};
  std::vector<unsigned char> m_out;
  bool m_initialized = false;
  bool m_finished = false;
  std::optional<util::Error> m_error;
};

}  // namespace

std::unique_ptr<io::Sink> make_gzip_sink(const CompressOptions& options, io::Sink& next) {
  return std::make_unique<GzipSink>(options, next);
}

}  // namespace volback::compress
