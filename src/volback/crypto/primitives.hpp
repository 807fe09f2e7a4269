#pragma once
// The symmetric primitives of age and OpenPGP, on OpenSSL 3's libcrypto (X25519 on
// libsodium): random bytes, SHA-1/SHA-2 digests, HMAC-SHA-256, HKDF-SHA-256, scrypt,
// X25519, ChaCha20-Poly1305 and the block ciphers of OpenPGP in CFB mode.
//
// Errors: permanent when the library fails (out of memory); corrupt when an AEAD tag does
// not verify; invalid_argument for a parameter outside what the function takes. Every
// function is thread-safe; the classes are used by one thread at a time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

using Bytes32 = std::array<unsigned char, 32>;

// Views text as bytes and back.
inline std::span<const unsigned char> as_uchars(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}
inline std::string_view as_chars(std::span<const unsigned char> s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

// Fills `out` from the operating system's CSPRNG (through OpenSSL).
util::Result<void> random_bytes(std::span<unsigned char> out);

// The digests OpenPGP names (RFC 4880 §9.4); age uses SHA-256 and SHA-512.
enum class Hash { sha1, sha224, sha256, sha384, sha512 };
std::size_t hash_size(Hash hash);
std::string hash_of(Hash hash, std::span<const unsigned char> data);

// An incremental digest. One thread at a time.
class Digest {
 public:
  explicit Digest(Hash hash);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void update(std::span<const unsigned char> data);
  void update(std::string_view data) { update(as_uchars(data)); }
  // The digest; the object must not be updated afterwards.
  std::string final();

 private:
  void* m_ctx;  // EVP_MD_CTX*
};

Bytes32 hmac_sha256(std::span<const unsigned char> key, std::string_view data);

// HKDF-SHA-256 (RFC 5869), `length` bytes.
util::Result<SecretBytes> hkdf_sha256(std::span<const unsigned char> ikm, std::string_view salt, std::string_view info,
                                      std::size_t length);

// scrypt (RFC 7914) with N = 2^log2_n, r = 8, p = 1: 128 * 8 * N bytes of memory (256 MiB
// at log2_n 18). Errors: invalid_argument above log2_n 22, permanent when the memory
// cannot be had.
util::Result<SecretBytes> scrypt(std::string_view passphrase, std::string_view salt, unsigned log2_n,
                                 std::size_t length);

// scrypt's cost parameters as a file states them (restic's key files).
struct ScryptCost {
  std::uint64_t n = 0;  // a power of two above 1
  std::uint64_t r = 0;
  std::uint64_t p = 0;
};

// The largest cost volback accepts from a file: 128 * r * N at most 1 GiB of memory and
// N * r * p at most 2^28 (about a hundred times restic's calibrated cost).
bool scrypt_cost_acceptable(const ScryptCost& cost);

// scrypt with any acceptable cost. Errors: invalid_argument for a cost outside
// scrypt_cost_acceptable, permanent when the memory cannot be had.
util::Result<SecretBytes> scrypt(std::string_view passphrase, std::string_view salt, const ScryptCost& cost,
                                 std::size_t length);

// X25519 (RFC 7748). The scalar is clamped as the RFC says. Errors: corrupt when the
// result is all zeros (a low-order point).
util::Result<Bytes32> x25519(std::span<const unsigned char> scalar, std::span<const unsigned char> point);
Bytes32 x25519_base(std::span<const unsigned char> scalar);

// The birational maps from Ed25519 to X25519 (libsodium), for age's ssh-ed25519 type:
// the Montgomery form of an Ed25519 public key (errors: invalid_argument when it is not a
// valid point), and the X25519 scalar of a 64-byte Ed25519 secret key (seed, public).
util::Result<Bytes32> ed25519_public_to_x25519(std::span<const unsigned char> public_key);
SecretBytes ed25519_secret_to_x25519(std::span<const unsigned char> secret_key);

// ChaCha20-Poly1305 (RFC 8439) with a 32-byte key; a context kept across chunks.
class ChaCha20Poly1305 {
 public:
  static constexpr std::size_t k_tag_size = 16;
  static constexpr std::size_t k_nonce_size = 12;

  // Errors: invalid_argument when the key is not 32 bytes; permanent from OpenSSL.
  static util::Result<ChaCha20Poly1305> create(std::span<const unsigned char> key);
  ChaCha20Poly1305(ChaCha20Poly1305&&) noexcept;
  ChaCha20Poly1305& operator=(ChaCha20Poly1305&&) noexcept;
  ~ChaCha20Poly1305();

  // Encrypts `plaintext` into `out` (plaintext.size() + 16 bytes: ciphertext then tag).
  util::Result<void> seal(std::span<const unsigned char> nonce, std::span<const unsigned char> plaintext,
                          std::span<unsigned char> out);
  // Decrypts `ciphertext` (with its tag) into `out` (ciphertext.size() - 16 bytes).
  // Errors: corrupt when the tag does not verify (then `out` holds nothing usable).
  util::Result<void> open(std::span<const unsigned char> nonce, std::span<const unsigned char> ciphertext,
                          std::span<unsigned char> out);

 private:
  ChaCha20Poly1305(void* encrypt, void* decrypt) : m_encrypt(encrypt), m_decrypt(decrypt) {}
  void* m_encrypt;  // EVP_CIPHER_CTX*
  void* m_decrypt;
};

// One-shot ChaCha20-Poly1305 with an all-zero nonce: age's key wrapping.
util::Result<std::string> seal_zero_nonce(std::span<const unsigned char> key, std::span<const unsigned char> plaintext);
util::Result<SecretBytes> open_zero_nonce(std::span<const unsigned char> key,
                                          std::span<const unsigned char> ciphertext);

// A recipient's attempt to unwrap a file key: the key itself, nullopt when it does not open
// (a corrupt-kind failure: the stanza is for another identity), or any other error as is.
util::Result<std::optional<SecretBytes>> unwrapped_or_none(util::Result<SecretBytes> opened);

// The block ciphers of OpenPGP (RFC 4880 §9.2) volback reads and writes.
enum class Cipher { aes128, aes192, aes256, camellia128, camellia192, camellia256 };
std::size_t key_size(Cipher cipher);
constexpr std::size_t k_block_size = 16;  // every cipher above

// A block cipher in CFB mode (full-block feedback, OpenPGP's "normal" CFB without the
// resynchronisation step), streaming: each call goes on where the previous one stopped.
class CfbCipher {
 public:
  enum class Direction { encrypt, decrypt };
  // `iv` is one block (16 bytes). Errors: invalid_argument for a wrong key or IV size;
  // permanent from OpenSSL.
  static util::Result<CfbCipher> create(Cipher cipher, std::span<const unsigned char> key,
                                        std::span<const unsigned char> iv, Direction direction);
  CfbCipher(CfbCipher&&) noexcept;
  CfbCipher& operator=(CfbCipher&&) noexcept;
  ~CfbCipher();

  // Transforms in.size() bytes into out (same size; in and out may be the same buffer).
  util::Result<void> update(std::span<const unsigned char> in, std::span<unsigned char> out);

 private:
  CfbCipher(void* ctx, Direction direction) : m_ctx(ctx), m_direction(direction) {}
  util::Result<void> encrypt(std::span<const unsigned char> in, std::span<unsigned char> out);

  // EVP_CIPHER_CTX*: OpenSSL's CFB for decryption; for encryption, CBC without padding,
  // whose output is CFB's keystream (see encrypt()).
  void* m_ctx;
  Direction m_direction;
  // Encryption: the keystream of the current block (the cipher of the previous ciphertext
  // block), the plaintext of the current block so far, and its length.
  std::array<unsigned char, k_block_size> m_keystream{};
  std::array<unsigned char, k_block_size> m_plain{};
  std::size_t m_used = 0;
};

// AES key wrap (RFC 3394) with a 16-, 24- or 32-byte key-encryption key: OpenPGP's ECDH.
util::Result<std::string> aes_key_wrap(std::span<const unsigned char> kek, std::span<const unsigned char> plaintext);
// Errors: corrupt when the integrity check fails (a wrong key).
util::Result<SecretBytes> aes_key_unwrap(std::span<const unsigned char> kek, std::span<const unsigned char> wrapped);

// Lower-case hex, for tests and messages about public values.
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace volback::crypto
