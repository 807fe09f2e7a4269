#pragma once
// The age file format's streaming side (age-encryption.org/v1, §"Payload"): a Sink that
// writes the header for its recipients and encrypts the stream in STREAM chunks of 64 KiB
// (ChaCha20-Poly1305, the nonce an 11-byte chunk counter and a last-chunk flag), and a
// Source that reads such a file back with a set of identities.
//
// Memory: the sink holds one plaintext chunk and one encrypted chunk (64 KiB and
// 64 KiB + 16 bytes), the source the same plus the header while it is read (at most
// k_max_age_header_bytes; a few hundred bytes in practice). Nothing grows with the stream.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/primitives.hpp>
#include <volback/io/sink.hpp>
#include <volback/io/source.hpp>

namespace volback::crypto {

inline constexpr std::size_t k_age_chunk_size = 64 * 1024;

// A Sink that encrypts everything written to it to `recipients` (at least one; an scrypt
// recipient must be alone) and writes the age file into `next`.
//
// Ownership: `next` is not owned and must outlive the sink; finish() writes the last
// chunk and then calls next.finish() exactly once. Destroying it unfinished does nothing
// to `next`. The header (a fresh file key, each recipient's stanza, the MAC) is made at
// the first write or at finish, so making the sink cannot fail.
// Errors: whatever `next` returns, unchanged; permanent when randomness or OpenSSL fails;
// invalid_argument for no recipient, or scrypt beside another. After an error the sink
// is unusable. One thread at a time.
std::unique_ptr<io::Sink> make_age_encryptor(AgeRecipients recipients, io::Sink& next);

// A Source over an age file read from `in`.
class AgeDecryptSource final : public io::Source {
 public:
  // Reads and checks the header, finds the file key with the first identity that opens a
  // stanza, checks the header's MAC and reads the payload's nonce, all before returning.
  // `in` is not owned and must outlive the source.
  // Errors: those of `in`, unchanged; corrupt for a malformed header, a MAC that does not
  // match (the header was altered), a missing nonce; auth when no identity opens any
  // stanza (the message says which recipient types the file has).
  static util::Result<std::unique_ptr<AgeDecryptSource>> open(io::Source& in, const AgeIdentities& identities);

  // The plaintext. Errors: those of `in`; corrupt, naming the chunk and its encrypted
  // offset, when a chunk fails authentication, the stream ends before the last chunk, or
  // data follows it. Plaintext released before an error was authenticated.
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

  // The recipient types of the header's stanzas ("X25519", "scrypt", ...), one each.
  const std::vector<std::string>& stanza_types() const { return m_stanza_types; }

 private:
  AgeDecryptSource(io::Source& in, ChaCha20Poly1305 aead, std::string pending, std::uint64_t payload_offset);
  util::Result<std::size_t> read_in(std::span<unsigned char> buf);
  util::Result<void> next_chunk();

  io::Source& m_in;
  ChaCha20Poly1305 m_aead;
  std::string m_pending;  // bytes read past the header and nonce, consumed first
  std::size_t m_pending_at = 0;
  std::vector<unsigned char> m_encrypted;
  std::vector<unsigned char> m_plain;
  std::size_t m_plain_at = 0;
  std::uint64_t m_chunk = 0;
  std::uint64_t m_offset;  // of the next chunk in the file
  bool m_done = false;
  std::optional<util::Error> m_error;  // reported after the plaintext already decrypted
  std::vector<std::string> m_stanza_types;
};

}  // namespace volback::crypto
