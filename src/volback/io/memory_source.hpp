#pragma once
// A Source that serves a string, in reads of at most `chunk` bytes. For tests and
// small payloads.

#include <algorithm>
#include <string>

#include <volback/io/source.hpp>

namespace volback::io {

class MemorySource final : public Source {
 public:
  explicit MemorySource(std::string data, std::size_t chunk = std::size_t{1} << 20)
    : m_data(std::move(data)), m_chunk(chunk) {}

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    const std::size_t n = std::min({buf.size(), m_chunk, m_data.size() - m_pos});
    std::copy_n(reinterpret_cast<const std::byte*>(m_data.data() + m_pos), n, buf.data());
    m_pos += n;
    return n;
  }

 private:
  std::string m_data;
  std::size_t m_chunk;
  std::size_t m_pos = 0;
};

}  // namespace volback::io
