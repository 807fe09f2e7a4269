#pragma once
// OpenPGP's string-to-key specifiers (RFC 4880 §3.7): simple (0), salted (1) and iterated
// and salted (3) over SHA-1 or SHA-2, and the algorithm numbers of the ciphers and hashes
// volback knows (§9.2, §9.4). Pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/crypto/pgp_packet.hpp>
#include <volback/crypto/primitives.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

// OpenPGP's number of a cipher, and back (nullopt for one volback does not implement).
std::uint8_t pgp_cipher_id(Cipher cipher);
std::optional<Cipher> pgp_cipher(std::uint8_t id);
std::uint8_t pgp_hash_id(Hash hash);
std::optional<Hash> pgp_hash(std::uint8_t id);

struct PgpS2k {
  std::uint8_t type = 3;
  Hash hash = Hash::sha256;
  std::string salt;           // 8 bytes for types 1 and 3
  std::uint8_t count = 0xFF;  // the coded count of type 3
  bool gnu_dummy = false;     // GnuPG's extension 101: no secret here (a stub, a card)

  // The number of bytes hashed for type 3: (16 + (c & 15)) << ((c >> 4) + 6).
  std::uint64_t iterations() const;
  // The key of `size` bytes for `passphrase`.
  util::Result<SecretBytes> derive(std::string_view passphrase, std::size_t size) const;
  void encode(std::string& out) const;
};

// Reads an S2K specifier. Errors: corrupt when truncated; invalid_argument for a type or
// hash volback does not implement (the message names it).
util::Result<PgpS2k> read_s2k(PgpReader& reader);

// A fresh iterated-and-salted SHA-256 S2K with the largest count (65,011,712 bytes
// hashed, a few tens of milliseconds).
util::Result<PgpS2k> new_s2k();

}  // namespace volback::crypto
