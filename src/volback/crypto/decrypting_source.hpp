#pragma once
// DecryptingSource: the read path's decryption stage. It recognises an encrypted backup
// by its first bytes, as compress::AutoDecompressor recognises the codec (a backup may be
// renamed; offen's and gpg's and age's files are read too):
//   "age-encryption.org/v1"               age
//   "-----BEGIN AGE ENCRYPTED FILE-----"  age, armored (age -a)
//   "-----BEGIN PGP MESSAGE-----"         OpenPGP, armored (offen's GPG_PUBLIC_KEY_RING)
//   an OpenPGP session key or marker packet with a plausible version    OpenPGP
// and anything else passes through unchanged (a plain archive). verify and restore put
// it in front of the AutoDecompressor:
//   raw → DecryptingSource → AutoDecompressor → CheckedTarReader

#include <memory>
#include <optional>
#include <string_view>

#include <volback/crypto/decryption_keys.hpp>
#include <volback/io/replay_source.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

enum class Encryption { none, age, openpgp };

// "age", "OpenPGP", or empty for none: for messages ("age-encrypted gzip stream").
std::string_view to_string(Encryption encryption);

// Which encryption the stream starting with `head` (its first 64 bytes or all of a
// shorter stream) has.
Encryption recognise_encryption(std::string_view head);

class DecryptingSource final : public io::Source {
 public:
  // Reads ahead to recognise the stream and, when it is encrypted, finds its key with
  // `keys` and checks it before returning: a wrong or missing key or passphrase fails
  // here (auth, naming what the backup is encrypted to and the settings that decrypt
  // it), before the caller writes anything. `raw` is not owned and must outlive the
  // source; so must `keys`. Errors: those of `raw`; auth; corrupt for a malformed header;
  // invalid_argument for a format volback refuses to read.
  static util::Result<std::unique_ptr<DecryptingSource>> open(io::Source& raw, const DecryptionKeys& keys);
  ~DecryptingSource() override;

  Encryption encryption() const { return m_encryption; }

  // The plaintext. Errors: those of `raw`; corrupt where the ciphertext is damaged or
  // truncated (age: at the damaged 64 KiB chunk; OpenPGP: at the end, by its MDC, if
  // nothing inside noticed first).
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  DecryptingSource(io::Source& raw, std::string head, Encryption encryption);

  Encryption m_encryption;
  io::ReplaySource m_replay;
  std::unique_ptr<io::Source> m_armor;
  std::unique_ptr<io::Source> m_plain;  // the decrypting source, or m_replay's bytes
};

}  // namespace volback::crypto
