#pragma once
// Digests S3 requests need: SHA-256 (payload hashes, SigV4), HMAC-SHA-256 (SigV4 keys)
// and MD5 (Content-MD5), on OpenSSL's libcrypto. Pure and thread-safe.

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace volback::storage::s3 {

using Sha256Digest = std::array<unsigned char, 32>;
using Md5Digest = std::array<unsigned char, 16>;

Sha256Digest sha256(std::span<const std::byte> data);
Sha256Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data);

std::string to_hex(std::span<const unsigned char> bytes);
std::string to_base64(std::span<const unsigned char> bytes);

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

}  // namespace volback::storage::s3
