#pragma once
// ReplaySource: serves bytes already read ahead from a stream (to recognise its format
// by its first bytes), then reads on from the stream itself. Used where a reader must
// look at a stream before deciding which filter to put in front of it: the codec
// (compress::AutoDecompressor) and the encryption (crypto::open_decrypting).

#include <algorithm>
#include <cstring>
#include <string>

#include <volback/io/source.hpp>

namespace volback::io {

class ReplaySource final : public Source {
 public:
  // `next` is not owned and must outlive this source; `head` holds the bytes already read
  // from it, which come first.
  ReplaySource(Source& next, std::string head) : m_next(next), m_head(std::move(head)) {}

  // The head's bytes, then next's. Errors: next's, unchanged.
  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (m_offset < m_head.size()) {
      const auto n = std::min(buf.size(), m_head.size() - m_offset);
      std::memcpy(buf.data(), m_head.data() + m_offset, n);
      m_offset += n;
      return n;
    }
    return m_next.read(buf);
  }

 private:
  Source& m_next;
  std::string m_head;
  std::size_t m_offset = 0;
};

// Reads from `source` until `head` holds at least `size` bytes or the stream ends (fewer
// then). Errors: the source's, unchanged.
inline util::Result<void> read_head(Source& source, std::string& head, std::size_t size) {
  while (head.size() < size) {
    std::byte buffer[4096];
    const auto want = std::min(sizeof buffer, size - head.size());
    auto n = source.read(std::span<std::byte>(buffer, want));
    if (!n) {
      return tl::unexpected<util::Error>(std::move(n).error());
    }
    if (*n == 0) {
      break;
    }
    head.append(reinterpret_cast<const char*>(buffer), *n);
  }
  return {};
}

}  // namespace volback::io
