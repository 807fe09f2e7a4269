#include <volback/docker/stream_demux.hpp>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace volback::docker {

void StreamDemux::feed(std::span<const std::byte> chunk) {
  const auto* data = reinterpret_cast<const char*>(chunk.data());
  std::size_t size = chunk.size();
  while (size > 0) {
    if (m_remaining > 0) {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, size));
      keep(std::string_view(data, take));
      data += take;
      size -= take;
      m_remaining -= take;
      continue;
    }
    const std::size_t take = std::min(size, sizeof m_header - m_header_size);
    std::memcpy(m_header + m_header_size, data, take);
    m_header_size += take;
    data += take;
    size -= take;
    if (m_header_size == sizeof m_header) {
      m_header_size = 0;
      m_to_err = m_header[0] == 2;
      m_remaining = (std::uint64_t{m_header[4]} << 24) | (std::uint64_t{m_header[5]} << 16) |
                    (std::uint64_t{m_header[6]} << 8) | std::uint64_t{m_header[7]};
    }
  }
}

void StreamDemux::keep(std::string_view data) {
  std::string& target = m_to_err ? m_err : m_out;
  std::uint64_t& dropped = m_to_err ? m_err_dropped : m_out_dropped;
  const std::size_t room = m_max_kept - std::min(m_max_kept, target.size());
  target.append(data.substr(0, room));
  dropped += data.size() - std::min(room, data.size());
}

std::string StreamDemux::with_note(const std::string& kept, std::uint64_t dropped) {
  if (dropped == 0) {
    return kept;
  }
  return fmt::format("{}\n[{} more bytes of output not kept]\n", kept, dropped);
}

}  // namespace volback::docker
