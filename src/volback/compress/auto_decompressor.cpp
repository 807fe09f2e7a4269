#include <volback/compress/auto_decompressor.hpp>

#include <algorithm>
#include <cstring>

namespace volback::compress {

std::string_view stream_name(Codec codec) {
  switch (codec) {
  case Codec::gzip: return "gzip";
  case Codec::zstd: return "zstd";
  case Codec::none: return "tar";
  }
  return "tar";
}

util::Result<std::unique_ptr<AutoDecompressor>> AutoDecompressor::open(io::Source& raw) {
  std::string head;
  while (head.size() < 4) {
    std::byte buffer[4096];
    VOLBACK_TRY_ASSIGN(const auto n, raw.read(buffer));
    if (n == 0) {
      break;
    }
    head.append(reinterpret_cast<const char*>(buffer), n);
  }
  Codec codec = Codec::none;
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b) {
    codec = Codec::gzip;
  } else if (head.size() >= 4 && head.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) {
    codec = Codec::zstd;
  }
  return std::unique_ptr<AutoDecompressor>(new AutoDecompressor(raw, std::move(head), codec));
}

AutoDecompressor::AutoDecompressor(io::Source& raw, std::string head, Codec codec)
  : m_codec(codec), m_replay(raw, std::move(head)), m_decoder(make_decompressor(codec, m_replay)) {}

util::Result<std::size_t> AutoDecompressor::read(std::span<std::byte> buf) {
  return m_decoder->read(buf);
}

util::Result<std::size_t> AutoDecompressor::Replay::read(std::span<std::byte> buf) {
  if (m_offset < m_head.size()) {
    const auto n = std::min(buf.size(), m_head.size() - m_offset);
    std::memcpy(buf.data(), m_head.data() + m_offset, n);
    m_offset += n;
    return n;
  }
  return m_next.read(buf);
}

}  // namespace volback::compress
