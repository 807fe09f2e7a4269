#pragma once
// AutoDecompressor: reads a stream compressed with any of volback's codecs, recognised by
// its first bytes rather than by a name (an archive may be renamed, and offen's and GNU
// tar's archives are read too): gzip (1f 8b), zstd (28 b5 2f fd), anything else plain.
// verify and restore read every archive through it.

#include <memory>
#include <string>
#include <string_view>

#include <volback/compress/codec.hpp>
#include <volback/io/replay_source.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::compress {

// "gzip", "zstd" or "tar" (uncompressed), for messages about a damaged stream.
std::string_view stream_name(Codec codec);

class AutoDecompressor final : public io::Source {
 public:
  // Reads ahead as far as needed to recognise the codec. `raw` must outlive the result.
  // Errors: those of `raw`.
  static util::Result<std::unique_ptr<AutoDecompressor>> open(io::Source& raw);

  Codec codec() const { return m_codec; }

  // The decompressed bytes; errors as make_decompressor's source (codec.hpp).
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  AutoDecompressor(io::Source& raw, std::string head, Codec codec);

  Codec m_codec;
  io::ReplaySource m_replay;  // the bytes read ahead, then the raw stream
  std::unique_ptr<io::Source> m_decoder;
};

}  // namespace volback::compress
