#include <volback/docker/stream_demux.hpp>

#include <cstdint>

namespace volback::docker {

void StreamDemux::feed(std::span<const std::byte> chunk) {
  m_pending.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  std::size_t pos = 0;
  while (m_pending.size() - pos >= 8) {
    const auto byte = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(m_pending[pos + i]));
    };
    const std::uint32_t size = (byte(4) << 24) | (byte(5) << 16) | (byte(6) << 8) | byte(7);
    if (m_pending.size() - pos - 8 < size) {
      break;
    }
    std::string& target = byte(0) == 2 ? m_err : m_out;
    target.append(m_pending, pos + 8, size);
    pos += 8 + size;
  }
  m_pending.erase(0, pos);
}

}  // namespace volback::docker
