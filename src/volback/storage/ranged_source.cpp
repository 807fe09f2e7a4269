#include <volback/storage/ranged_source.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace volback::storage {

namespace {

class RangedSource final : public io::Source {
 public:
  RangedSource(RangeFetch fetch, std::uint64_t offset, std::uint64_t end, std::uint64_t chunk)
    : m_fetch(std::move(fetch)), m_offset(offset), m_end(end), m_chunk(std::max<std::uint64_t>(chunk, 1)) {}

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (buf.empty()) {
      return 0;
    }
    if (m_pos == m_buffer.size()) {
      if (m_offset >= m_end) {
        return 0;
      }
      const std::uint64_t last = std::min(m_end, m_offset + m_chunk) - 1;
      VOLBACK_TRY_ASSIGN(auto body, m_fetch(m_offset, last));
      if (body.size() != last - m_offset + 1) {
        return util::fail(util::ErrorKind::transient,
                          fmt::format("a ranged read of bytes {}-{} returned {} bytes", m_offset, last, body.size()));
      }
      m_buffer = std::move(body);
      m_pos = 0;
      m_offset = last + 1;
    }
    const std::size_t n = std::min(buf.size(), m_buffer.size() - m_pos);
    std::copy_n(reinterpret_cast<const std::byte*>(m_buffer.data()) + m_pos, n, buf.data());
    m_pos += n;
    return n;
  }

 private:
  RangeFetch m_fetch;
  std::uint64_t m_offset;
  std::uint64_t m_end;
  std::uint64_t m_chunk;
  std::string m_buffer;
  std::size_t m_pos = 0;
};

}  // namespace

std::unique_ptr<io::Source> make_ranged_source(std::uint64_t size, const ByteRange& range, RangeFetch fetch,
                                               std::uint64_t chunk) {
  const std::uint64_t offset = std::min(range.offset, size);
  const std::uint64_t end = range.length ? offset + std::min(*range.length, size - offset) : size;
  return std::make_unique<RangedSource>(std::move(fetch), offset, end, chunk);
}

}  // namespace volback::storage
