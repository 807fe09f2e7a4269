#pragma once
// The one way verify and restore open a backup's bytes, in front of the checked tar
// reader:
//
//   raw → crypto::DecryptingSource → compress::AutoDecompressor → archive::CheckedTarReader
//
// Both the encryption and the codec are recognised by the stream's first bytes, not by
// the name. A wrong or missing key fails in open_archive_stream, before the caller has
// written anything.

#include <memory>
#include <string>

#include <volback/compress/auto_decompressor.hpp>
#include <volback/crypto/decrypting_source.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct ArchiveStream {
  std::unique_ptr<crypto::DecryptingSource> decrypted;
  std::unique_ptr<compress::AutoDecompressor> decompressed;
  // "gzip", "tar", "age-encrypted zstd", "OpenPGP-encrypted gzip": how messages about a
  // damaged stream name it.
  std::string name;

  // The archive's tar bytes.
  io::Source& tar() { return *decompressed; }
};

// Opens `raw` (not owned; it and `keys` must outlive the result). Errors: those of
// crypto::DecryptingSource::open (auth for a wrong or missing key) and of `raw`.
util::Result<ArchiveStream> open_archive_stream(io::Source& raw, const crypto::DecryptionKeys& keys);

}  // namespace volback::app
