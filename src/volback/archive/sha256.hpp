#pragma once
// Sha256: SHA-256 through OpenSSL's EVP interface (SHA extensions when the CPU has
// them), for the manifest's content hashes. One context reused across files.
// One thread at a time.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <volback/util/result.hpp>

namespace volback::archive {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Starts a new digest. Errors: permanent when OpenSSL fails.
  util::Result<void> reset();
  util::Result<void> update(std::span<const std::byte> data);
  // Hashes `count` zero bytes (a sparse file's hole).
  util::Result<void> update_zeros(std::uint64_t count);
  // The digest in lower-case hex; reset() before the next one.
  util::Result<std::string> final_hex();

 private:
  void* m_ctx = nullptr;  // EVP_MD_CTX*
};

}  // namespace volback::archive
