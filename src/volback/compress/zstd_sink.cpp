#include <volback/compress/zstd_sink.hpp>

#include <zstd.h>

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace volback::compress {

namespace {

constexpr int k_default_level = 3;
constexpr std::size_t k_out_buffer_size = 1 << 20;
// libzstd's own limit on 64-bit builds (ZSTDMT_NBWORKERS_MAX).
constexpr unsigned k_max_workers = 200;
// Input bytes per libzstd job; see the constructor.
constexpr std::size_t k_job_size = std::size_t{2} << 20;

struct CctxDeleter {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

class ZstdSink final : public io::Sink {
 public:
  ZstdSink(const CompressOptions& options, io::Sink& next)
    : m_next(next), m_cctx(ZSTD_createCCtx()), m_out(k_out_buffer_size) {
    // Init errors surface on the first write()/finish(): the factory cannot fail.
    if (!m_cctx) {
      m_error = util::Error(util::ErrorKind::permanent, "zstd: cannot allocate a compression context");
      return;
    }
    const int level = options.level == 0 ? k_default_level : options.level;
    if (auto r = set(ZSTD_c_compressionLevel, level); !r) {
      m_error = r.error();
      return;
    }
    // The frame checksum lets `zstd -t` and restores detect corruption.
    if (auto r = set(ZSTD_c_checksumFlag, 1); !r) {
      m_error = r.error();
      return;
    }
    // Even one worker is worth it: compression then overlaps with reading the files on
    // the calling thread. A libzstd built without multi-threading rejects nbWorkers;
    // compressing on the calling thread is still correct, so that error is ignored.
    const unsigned workers = std::clamp(options.threads, 1U, k_max_workers);
    if (ZSTD_isError(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_nbWorkers, static_cast<int>(workers)))) {
      return;
    }
    // libzstd sizes its jobs from the window (4 × window: 8 MiB at level 3, 32 MiB at
    // level 9) and keeps about 2 × workers + 3 of them, each with its own output buffer.
    // Capping the job keeps memory bounded and small (docs/performance.md); the overlap
    // with the previous job keeps the ratio.
    (void)ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_jobSize,
                                 static_cast<int>(options.zstd_job_bytes != 0 ? options.zstd_job_bytes : k_job_size));
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(check_usable());
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (in.pos < in.size) {
      VOLBACK_TRY(flush_if_full());
      ZSTD_outBuffer out{m_out.data(), m_out.size(), m_used};
      const std::size_t rc = ZSTD_compressStream2(m_cctx.get(), &out, &in, ZSTD_e_continue);
      m_used = out.pos;
      if (ZSTD_isError(rc)) {
        return fail(zstd_error("ZSTD_compressStream2", rc));
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check_usable());
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (true) {
      VOLBACK_TRY(flush_if_full());
      ZSTD_outBuffer out{m_out.data(), m_out.size(), m_used};
      // Returns how many bytes are still waiting to be flushed; 0 once the frame is complete.
      const std::size_t remaining = ZSTD_compressStream2(m_cctx.get(), &out, &in, ZSTD_e_end);
      m_used = out.pos;
      if (ZSTD_isError(remaining)) {
        return fail(zstd_error("ZSTD_compressStream2", remaining));
      }
      if (remaining == 0) {
        break;
      }
    }
    VOLBACK_TRY(flush_output());
    m_finished = true;
    if (auto r = m_next.finish(); !r) {
      return fail(r.error());
    }
    return {};
  }

 private:
  static util::Error zstd_error(std::string_view what, std::size_t rc) {
    return util::Error(util::ErrorKind::permanent, fmt::format("zstd: {} failed: {}", what, ZSTD_getErrorName(rc)));
  }

  util::Result<void> set(ZSTD_cParameter parameter, int value) {
    const std::size_t rc = ZSTD_CCtx_setParameter(m_cctx.get(), parameter, value);
    if (ZSTD_isError(rc)) {
      return util::fail(zstd_error("ZSTD_CCtx_setParameter", rc));
    }
    return {};
  }

  util::Result<void> check_usable() const {
    if (m_error) {
      return util::fail(*m_error);
    }
    if (m_finished) {
      return util::fail(util::ErrorKind::permanent, "zstd: the stream was already finished");
    }
    return {};
  }

  // Records `error` so later calls fail too: after an error the sink is unusable.
  tl::unexpected<util::Error> fail(util::Error error) {
    m_error = error;
    return util::fail(std::move(error));
  }

  util::Result<void> flush_if_full() {
    if (m_used == m_out.size()) {
      return flush_output();
    }
    return {};
  }

  util::Result<void> flush_output() {
    if (m_used > 0) {
      if (auto r = m_next.write(std::as_bytes(std::span(m_out.data(), m_used))); !r) {
        return fail(r.error());
      }
    }
    m_used = 0;
    return {};
  }

  io::Sink& m_next;
  std::unique_ptr<ZSTD_CCtx, CctxDeleter> m_cctx;
  std::vector<unsigned char> m_out;
  std::size_t m_used = 0;
  bool m_finished = false;
  std::optional<util::Error> m_error;
};

}  // namespace

std::unique_ptr<io::Sink> make_zstd_sink(const CompressOptions& options, io::Sink& next) {
  return std::make_unique<ZstdSink>(options, next);
}

}  // namespace volback::compress
