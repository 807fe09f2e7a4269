#pragma once
// OpenPGP messages (RFC 4880) as streams: a Sink that writes what `gpg --symmetric` or
// `gpg --encrypt` write, and a Source that reads them back.
//
// Written: the session key packets (one SKESK for a passphrase, or one PKESK per
// recipient), then one integrity-protected packet (SEIPD version 1: AES-256 in CFB mode
// over a random prefix, a literal data packet and the SHA-1 MDC), binary, not compressed
// (the archive already is), with partial body lengths of 64 KiB so that nothing needs the
// stream's length. GnuPG 2.2 reads it with `gpg --decrypt`.
//
// Read: the same, and what GnuPG 2.2 and offen (go-crypto) write: AES or Camellia, old or
// new packet formats, ZIP or ZLIB compression inside (BZip2 is refused), one-pass
// signatures and signatures skipped (not verified), marker packets. Armor is handled by
// PgpArmorSource in front. Refused: data without integrity protection (SED), AEAD packets
// (GnuPG 2.3's OCB), version 5 keys.
//
// The MDC covers the whole message, so damage is certain only at its end: the source
// releases plaintext as it goes and fails at the end when the MDC does not match, before
// it reports the end of the stream. Callers must not trust the data until then (restore
// commits nothing before the end; the gzip or zstd check inside usually fails earlier).
//
// Memory: the sink holds 64 KiB of literal data and 64 KiB + 2 bytes of ciphertext; the
// source holds a 64 KiB read buffer per packet layer (two, three when compressed), the
// 22 bytes of the MDC, and zlib's window (32 KiB) when the message is compressed.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/crypto/pgp_keys.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/io/sink.hpp>
#include <volback/io/source.hpp>

namespace volback::crypto {

struct PgpEncryption {
  std::optional<SecretBytes> passphrase;  // GPG_PASSPHRASE
  std::vector<PgpPublicKey> recipients;   // GPG_PUBLIC_KEY_RING's encryption keys
};

// A Sink that encrypts everything written to it (to the recipients, or else with the
// passphrase) into `next`. `next` is not owned and must outlive the sink; finish() writes
// the MDC and the last lengths, then calls next.finish() exactly once. Destroying it
// unfinished does nothing to `next`. The session key packets are made at the first write
// or at finish. Errors: whatever `next` returns, unchanged; invalid_argument for neither
// a passphrase nor a recipient; permanent for randomness or OpenSSL failures. One thread
// at a time.
std::unique_ptr<io::Sink> make_pgp_encryptor(PgpEncryption encryption, io::Sink& next);

struct PgpDecryptionKeys {
  std::optional<SecretBytes> passphrase;             // GPG_PASSPHRASE
  std::vector<PgpSecretKey> secret_keys;             // GPG_SECRET_KEY_RING
  std::optional<SecretBytes> secret_key_passphrase;  // GPG_SECRET_KEY_PASSPHRASE
};

class PgpDecryptSource final : public io::Source {
 public:
  // Reads the session key packets, finds the session key (a passphrase's SKESK, or the
  // PKESK of a secret key in `keys`), and checks it against the encrypted data's check
  // bytes, all before returning. `in` is not owned and must outlive the source.
  // Errors: those of `in`; auth when no key or passphrase opens the message (the message
  // names the key IDs it is encrypted to) or a secret key's passphrase is missing or
  // wrong; corrupt for malformed packets; invalid_argument for what volback refuses to
  // read (see above).
  static util::Result<std::unique_ptr<PgpDecryptSource>> open(io::Source& in, const PgpDecryptionKeys& keys);
  ~PgpDecryptSource() override;

  // The literal data. Errors: those of `in`; corrupt for malformed or truncated packets,
  // a damaged compressed stream, or an MDC that does not match (reported instead of the
  // end of the stream).
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

  struct Layers;

 private:
  explicit PgpDecryptSource(std::unique_ptr<Layers> layers);
  std::unique_ptr<Layers> m_layers;
};

}  // namespace volback::crypto
