#include <volback/crypto/bcrypt_pbkdf.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include <volback/crypto/blowfish.hpp>
#include <volback/crypto/primitives.hpp>

namespace volback::crypto {

namespace {

constexpr std::size_t k_hash_size = 32;

// bcrypt_hash of OpenBSD: eksblowfish keyed by the SHA-512 of the passphrase and salt, 64
// rounds of expansion, then 64 encryptions of a fixed text; the words out little-endian.
std::array<std::uint8_t, k_hash_size> bcrypt_hash(std::span<const std::uint8_t> sha2pass,
                                                  std::span<const std::uint8_t> sha2salt) {
  Blowfish state;
  state.expand(sha2salt, sha2pass);
  for (int i = 0; i < 64; ++i) {
    state.expand0(sha2salt);
    state.expand0(sha2pass);
  }
  static constexpr std::string_view k_text = "OxychromaticBlowfishSwatDynamite";
  std::array<std::uint32_t, 8> words{};
  std::size_t at = 0;
  for (auto& word : words) {
    for (int b = 0; b < 4; ++b) {
      word = (word << 8) | static_cast<std::uint8_t>(k_text[at++]);
    }
  }
  for (int i = 0; i < 64; ++i) {
    for (std::size_t j = 0; j < words.size(); j += 2) {
      state.encrypt(words[j], words[j + 1]);
    }
  }
  std::array<std::uint8_t, k_hash_size> out{};
  for (std::size_t i = 0; i < words.size(); ++i) {
    out[4 * i + 3] = static_cast<std::uint8_t>(words[i] >> 24);
    out[4 * i + 2] = static_cast<std::uint8_t>(words[i] >> 16);
    out[4 * i + 1] = static_cast<std::uint8_t>(words[i] >> 8);
    out[4 * i] = static_cast<std::uint8_t>(words[i]);
  }
  return out;
}

std::string sha512(std::span<const std::uint8_t> data) {
  return hash_of(Hash::sha512, data);
}

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

util::Result<SecretBytes> bcrypt_pbkdf(std::string_view passphrase, std::string_view salt, unsigned rounds,
                                       std::size_t length) {
  if (rounds < 1 || rounds > k_max_bcrypt_rounds || length < 1 || length > k_hash_size * k_hash_size || salt.empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("bcrypt_pbkdf: {} rounds or {} bytes are out of range", rounds, length));
  }
  const std::size_t stride = (length + k_hash_size - 1) / k_hash_size;
  const std::size_t amount = (length + stride - 1) / stride;
  const std::string sha2pass = sha512(bytes_of(passphrase));
  SecretBytes key(length);
  std::size_t left = length;
  for (std::uint32_t count = 1; left > 0; ++count) {
    std::string count_salt(salt);
    count_salt += static_cast<char>(count >> 24);
    count_salt += static_cast<char>(count >> 16);
    count_salt += static_cast<char>(count >> 8);
    count_salt += static_cast<char>(count);
    std::string sha2salt = sha512(bytes_of(count_salt));
    auto tmp = bcrypt_hash(bytes_of(sha2pass), bytes_of(sha2salt));
    auto out = tmp;
    for (unsigned round = 1; round < rounds; ++round) {
      sha2salt = sha512(tmp);
      tmp = bcrypt_hash(bytes_of(sha2pass), bytes_of(sha2salt));
      for (std::size_t j = 0; j < out.size(); ++j) {
        out[j] ^= tmp[j];
      }
    }
    const std::size_t take = std::min(amount, left);
    std::size_t i = 0;
    for (; i < take; ++i) {
      const std::size_t dest = i * stride + (count - 1);
      if (dest >= length) {
        break;
      }
      key.data()[dest] = out[i];
    }
    left -= i;
  }
  return key;
}

}  // namespace volback::crypto
