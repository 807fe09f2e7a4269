#pragma once
// `volback verify [BACKUP|latest] [--backend NAME]`: reads a backup straight from its
// backend (no local copy), decompresses it, reads every tar entry and checks it against
// the archive's manifest (docs/manifest-format.md): content hash, size, type, mode,
// numeric ids, mtime and link target of every entry, and that none is missing or extra.
//
// It reads through the one read path that restore uses too (archive::CheckedTarReader):
// every entry's name is checked by the same rules, so an archive that restore refuses is
// never intact here.
//
// Outcomes: intact (exit 0); corrupt (exit 1, each failing file named; a damaged
// compressed stream is located: "corrupt gzip stream after entry X"); foreign, an
// archive without volback's mark whose names are safe (exit 0 with a warning: "readable,
// no manifest").

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <volback/app/run/exit_code.hpp>
#include <volback/compress/codec.hpp>
#include <volback/crypto/decrypting_source.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/io/source.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

enum class Verdict { intact, corrupt, foreign };

struct VerifyReport {
  Verdict verdict = Verdict::intact;
  compress::Codec codec = compress::Codec::none;
  crypto::Encryption encryption = crypto::Encryption::none;
  std::uint64_t entries = 0;       // tar entries read, the manifest excluded
  std::uint64_t files_hashed = 0;  // regular files whose hash was compared
  std::uint64_t bytes_hashed = 0;
  std::string volback_version;        // from the global header, if marked
  std::vector<std::string> problems;  // one line each, naming the entry
  std::uint64_t more_problems = 0;    // problems beyond those described
};

// Reads the archive from `raw` to its end and judges it, decrypting it with `keys` when
// it is encrypted; temporary spill files go to `spill_dir`. Corruption is a report, not
// an error (a damaged ciphertext too). Errors: a source failure that is not corruption
// (transient, auth, not_found, cancelled, permanent), unchanged; auth for a wrong or
// missing key, before anything is read past the encryption's header.
util::Result<VerifyReport> verify_archive(io::Source& raw, const util::CancelToken& cancel,
                                          const std::string& spill_dir = "/tmp",
                                          const crypto::DecryptionKeys& keys = crypto::DecryptionKeys::none());

}  // namespace volback::app
