#pragma once
// A repository's master key and restic's authenticated encryption with it, used for every
// stored object except key files' JSON and the pack container (the format's §3):
//
//   IV (16 random bytes, never all zero) || AES-256-CTR(E, IV, plaintext) || MAC (16 bytes)
//   MAC = Poly1305(r || AES-128(K, IV), ciphertext)   with r the clamped MAC key R
//
// Only the ciphertext is authenticated; the IV is bound through AES-128(K, IV). This is not
// an AEAD construction (not ChaCha20-Poly1305). Thread-safe: a MasterKey is read-only.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

inline constexpr std::size_t k_iv_size = 16;
inline constexpr std::size_t k_mac_size = 16;
// What sealing adds to a plaintext.
inline constexpr std::size_t k_seal_overhead = k_iv_size + k_mac_size;

struct MasterKey {
  crypto::SecretBytes encrypt;  // E: 32 bytes, AES-256
  crypto::SecretBytes mac_k;    // K: 16 bytes, AES-128 for the Poly1305 pad
  crypto::SecretBytes mac_r;    // R: 16 bytes, Poly1305's r (stored clamped)

  // A new random key, R clamped as restic stores it.
  static util::Result<MasterKey> generate();
  // From 64 bytes as scrypt derives a user key: E, then K, then R.
  static util::Result<MasterKey> from_derived(std::span<const unsigned char> bytes);
  // All three parts have their sizes and none is all zero (restic: "Invalid key").
  bool valid() const;
};

// Appends IV || ciphertext || MAC of `plaintext` to `out`, with a random IV.
util::Result<void> seal_append(const MasterKey& key, std::span<const unsigned char> plaintext, std::string& out);
util::Result<std::string> seal(const MasterKey& key, std::string_view plaintext);
// Seals in place: `out` holds 16 bytes of room for the IV at `start`, then the plaintext
// up to its end; afterwards it holds IV || ciphertext || MAC from `start` (a random IV).
// Saves a copy of the plaintext when the caller can produce it where the ciphertext goes.
util::Result<void> seal_in_place(const MasterKey& key, std::string& out, std::size_t start);
// With a given IV: for test vectors only. Errors: invalid_argument for an all-zero IV.
util::Result<std::string> seal_with_iv(const MasterKey& key, std::span<const unsigned char> iv,
                                       std::string_view plaintext);

// The plaintext of a sealed object. Errors: corrupt when it is shorter than 32 bytes, its
// IV is all zero, or the MAC does not verify ("ciphertext verification failed"); the MAC
// is checked (in constant time) before anything is decrypted.
util::Result<std::string> open_sealed(const MasterKey& key, std::span<const unsigned char> sealed);
util::Result<std::string> open_sealed(const MasterKey& key, std::string_view sealed);

}  // namespace volback::restic
