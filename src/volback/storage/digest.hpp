#pragma once
// Digests and encodings the remote backends need, on OpenSSL's libcrypto: SHA-256
// (S3's payload hashes, SSH host key fingerprints), HMAC-SHA-256 (SigV4 keys, Azure's
// Shared Key), HMAC-SHA-1 (hashed known_hosts entries), MD5 (Content-MD5), hex and
// base64. Pure and thread-safe.

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace volback::storage {

using Sha256Digest = std::array<unsigned char, 32>;
using Md5Digest = std::array<unsigned char, 16>;

Sha256Digest sha256(std::span<const std::byte> data);
Sha256Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data);
std::array<unsigned char, 20> hmac_sha1(std::span<const unsigned char> key, std::span<const unsigned char> data);

std::string to_hex(std::span<const unsigned char> bytes);
std::string to_base64(std::span<const unsigned char> bytes);
// Standard base64 (with padding; whitespace is not allowed). nullopt when `text` is not
// base64.
std::optional<std::vector<unsigned char>> from_base64(std::string_view text);

// The lower-case hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);
// Base64 MD5 of `text`, as Content-MD5 carries it.
std::string md5_base64(std::string_view text);

// Incremental SHA-256 and MD5 over the same bytes, for part buffers. One thread at a time.
class PartDigest {
 public:
  PartDigest();
  ~PartDigest();
  PartDigest(const PartDigest&) = delete;
  PartDigest& operator=(const PartDigest&) = delete;
  PartDigest(PartDigest&&) noexcept;
  PartDigest& operator=(PartDigest&&) noexcept;

  void update(std::span<const std::byte> data);
  // Ends the digest. Call once.
  void finish();
  const std::string& sha256_hex() const { return m_sha256_hex; }
  const std::string& md5_base64() const { return m_md5_base64; }

 private:
  struct State;
  std::unique_ptr<State> m_state;
  std::string m_sha256_hex;
  std::string m_md5_base64;
};

}  // namespace volback::storage
