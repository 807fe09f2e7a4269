#include <volback/compress/gzip_source.hpp>

#include <isa-l/igzip_lib.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace volback::compress {

namespace {

// Large reads keep the per-call overhead of `next` and of isal_inflate negligible.
constexpr std::size_t k_in_buffer_size = std::size_t{1} << 20;

class GzipSource final : public io::Source {
 public:
  explicit GzipSource(io::Source& next) : m_next(next), m_in(k_in_buffer_size) {
    // inflate_state holds its tables inline (tens of KiB): keep it off the stack.
    m_state = std::make_unique<inflate_state>();
    start_member();
  }

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (m_error) {
      return util::fail(*m_error);
    }
    if (buf.empty() || m_eof) {
      return 0;
    }
    for (;;) {
      if (m_state->block_state == ISAL_BLOCK_FINISH) {
        // A member ended (its CRC and length were checked). Another may follow.
        VOLBACK_TRY_ASSIGN(const bool more, have_input());
        if (!more) {
          m_eof = true;
          return 0;
        }
        start_member();
      }
      if (m_state->avail_in == 0 && !m_input_done) {
        VOLBACK_TRY(refill());
      }
      m_state->next_out = reinterpret_cast<std::uint8_t*>(buf.data());
      m_state->avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(buf.size(), UINT32_MAX));
      const int rc = isal_inflate(m_state.get());
      if (rc != ISAL_DECOMP_OK) {
        return fail(util::ErrorKind::corrupt, fmt::format("gzip: the data is corrupt (igzip error {})", rc));
      }
      const std::size_t produced = buf.size() - m_state->avail_out;
      if (produced > 0) {
        return produced;
      }
      if (m_state->block_state == ISAL_BLOCK_FINISH) {
        continue;
      }
      if (m_state->avail_in == 0 && m_input_done) {
        return fail(util::ErrorKind::corrupt, "gzip: the data is truncated (unexpected end of stream)");
      }
    }
  }

 private:
  void start_member() {
    isal_inflate_init(m_state.get());
    m_state->crc_flag = ISAL_GZIP;  // parse the header, verify CRC-32 and ISIZE
    m_state->next_in = m_next_in;
    m_state->avail_in = m_avail_in_carry;
  }

  // True when input remains (in the buffer or in `next`) after a finished member.
  util::Result<bool> have_input() {
    m_next_in = m_state->next_in;
    m_avail_in_carry = m_state->avail_in;
    if (m_avail_in_carry > 0) {
      return true;
    }
    if (m_input_done) {
      return false;
    }
    VOLBACK_TRY(refill_raw());
    return m_avail_in_carry > 0;
  }

  util::Result<void> refill() {
    VOLBACK_TRY(refill_raw());
    m_state->next_in = m_next_in;
    m_state->avail_in = m_avail_in_carry;
    return {};
  }

  util::Result<void> refill_raw() {
    auto got = m_next.read(std::span(m_in));
    if (!got) {
      m_error = got.error();
      return util::fail(got.error());
    }
    if (*got == 0) {
      m_input_done = true;
    }
    m_next_in = reinterpret_cast<std::uint8_t*>(m_in.data());
    m_avail_in_carry = static_cast<std::uint32_t>(*got);
    return {};
  }

  tl::unexpected<util::Error> fail(util::ErrorKind kind, std::string message) {
    m_error = util::Error(kind, std::move(message));
    return util::fail(*m_error);
  }

  io::Source& m_next;
  std::vector<std::byte> m_in;
  std::unique_ptr<inflate_state> m_state;
  std::uint8_t* m_next_in = nullptr;
  std::uint32_t m_avail_in_carry = 0;
  bool m_input_done = false;
  bool m_eof = false;
  std::optional<util::Error> m_error;
};

}  // namespace

std::unique_ptr<io::Source> make_gzip_source(io::Source& next) {
  return std::make_unique<GzipSource>(next);
}

}  // namespace volback::compress
