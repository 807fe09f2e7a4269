#include <volback/compress/auto_decompressor.hpp>

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
  VOLBACK_TRY(io::read_head(raw, head, 4));
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

}  // namespace volback::compress
