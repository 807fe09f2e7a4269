#include <volback/app/restore/archive_stream.hpp>

#include <fmt/format.h>

namespace volback::app {

util::Result<ArchiveStream> open_archive_stream(io::Source& raw, const crypto::DecryptionKeys& keys) {
  ArchiveStream stream;
  VOLBACK_TRY_ASSIGN(stream.decrypted, crypto::DecryptingSource::open(raw, keys));
  VOLBACK_TRY_ASSIGN(stream.decompressed, compress::AutoDecompressor::open(*stream.decrypted));
  const auto codec = compress::stream_name(stream.decompressed->codec());
  const auto encryption = crypto::to_string(stream.decrypted->encryption());
  stream.name = encryption.empty() ? std::string(codec) : fmt::format("{}-encrypted {}", encryption, codec);
  return stream;
}

}  // namespace volback::app
