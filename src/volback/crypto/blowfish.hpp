#pragma once
// Blowfish with the "expensive key schedule" (eksblowfish) steps that OpenSSH's
// bcrypt_pbkdf needs, which OpenSSL does not expose. Used only to unlock passphrase-
// protected OpenSSH private keys (bcrypt_pbkdf.hpp). One thread per object.

#include <array>
#include <cstdint>
#include <span>

namespace volback::crypto {

// pi's fractional hex digits: the initial P-array (18 words), then the S-boxes.
extern const std::array<std::uint32_t, 1042> k_blowfish_pi_words;

class Blowfish {
 public:
  // The initial state (pi's digits), no key.
  Blowfish();

  // The classic key schedule (Schneier): XOR the key into P, then encrypt the state.
  void set_key(std::span<const std::uint8_t> key);
  // eksblowfish's ExpandKey(state, salt, key) with a salt, and its saltless form.
  void expand(std::span<const std::uint8_t> data, std::span<const std::uint8_t> key);
  void expand0(std::span<const std::uint8_t> key);

  void encrypt(std::uint32_t& left, std::uint32_t& right) const;

 private:
  std::uint32_t f(std::uint32_t x) const;
  std::array<std::uint32_t, 18> m_p{};
  std::array<std::array<std::uint32_t, 256>, 4> m_s{};
};

}  // namespace volback::crypto
