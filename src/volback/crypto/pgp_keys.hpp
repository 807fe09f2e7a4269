#pragma once
// OpenPGP keys (RFC 4880 §5.5, version 4): the public key ring of GPG_PUBLIC_KEY_RING, of
// which every key's encryption (sub)key becomes a recipient, and the secret key ring of
// GPG_SECRET_KEY_RING_FILE, whose RSA and Curve25519 ECDH keys decrypt.
//
// A ring is armored (one or more "-----BEGIN PGP ... KEY BLOCK-----" blocks) or binary.
// Per key (a primary key and its subkeys) the encryption key is the newest subkey, or the
// primary key, whose self-signature allows encryption (key flags 0x04/0x08) and which is
// not revoked, as GnuPG picks it. volback does not verify the self-signatures or check
// expiry: the key ring is trusted as configured. Supported recipient algorithms: RSA and
// ECDH on Curve25519 (GnuPG's cv25519).
//
// Errors never quote key material: invalid_argument names the key's position and type.
// Immutable once parsed; thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/crypto/primitives.hpp>
#include <volback/crypto/rsa.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

enum class PgpAlgorithm : std::uint8_t {
  rsa = 1,
  rsa_encrypt_only = 2,
  rsa_sign_only = 3,
  elgamal = 16,
  dsa = 17,
  ecdh = 18,
  ecdsa = 19,
  eddsa = 22,
};

struct PgpPublicKey {
  std::uint8_t algorithm = 0;
  std::uint32_t created = 0;
  std::string fingerprint;   // 20 bytes (SHA-1 of the key packet)
  std::uint64_t key_id = 0;  // its last 8 bytes
  std::optional<RsaKey> rsa;
  // ECDH on Curve25519: the point (native little-endian) and the KDF's parameters.
  bool cv25519 = false;
  Bytes32 ecdh_point{};
  std::string curve_oid;
  std::uint8_t kdf_hash = 0;
  std::uint8_t kdf_cipher = 0;

  // Whether volback can encrypt to it: RSA, or ECDH on cv25519.
  bool can_encrypt() const;
  // "RSA 4096", "ECDH cv25519", "EdDSA", ... for messages.
  std::string describe() const;
};

// The recipients of a public key ring: one encryption key per key in it, in ring order.
// Errors: invalid_argument, e.g. "key 2 (EdDSA): its encryption subkey is ECDH on NIST
// P-256, which volback does not support".
util::Result<std::vector<PgpPublicKey>> parse_pgp_public_key_ring(std::string_view text);

// A secret key or subkey of a secret key ring, still locked by its passphrase.
class PgpSecretKey {
 public:
  PgpSecretKey(PgpPublicKey key, std::string secret, std::size_t position)
    : m_public(std::move(key)), m_secret(std::move(secret)), m_position(position) {}

  const PgpPublicKey& public_key() const { return m_public; }
  // Which key of the ring it belongs to (1-based), for messages.
  std::size_t position() const { return m_position; }

  struct Unlocked {
    std::optional<RsaKey> rsa;
    SecretBytes ecdh_scalar;  // Curve25519, native little-endian
  };
  // Decrypts the secret material. Errors: auth when it is protected and `passphrase` is
  // missing or wrong; invalid_argument when it is malformed or uses a protection volback
  // does not implement, or is a GnuPG stub without the secret.
  util::Result<Unlocked> unlock(std::optional<std::string_view> passphrase) const;

 private:
  PgpPublicKey m_public;
  std::string m_secret;  // the packet after the public material
  std::size_t m_position;
};

// The RSA and cv25519 ECDH keys of a secret key ring (primary keys and subkeys). Errors:
// invalid_argument naming the key's position.
util::Result<std::vector<PgpSecretKey>> parse_pgp_secret_key_ring(std::string_view text);

// Whether `text` looks like an OpenPGP key ring (armored or binary), for --identity.
bool looks_like_pgp_key_ring(std::string_view text);

// "0x" and the key ID in hex, for messages (key IDs are public).
std::string format_key_id(std::uint64_t key_id);

}  // namespace volback::crypto
