#pragma once
// NameDigest: a 64-bit digest of a name, salted at random per instance (SHA-256 over salt
// and name, first 8 bytes), for the name sets of a checked read (entry_names.hpp,
// manifest_check.hpp). The salt makes colliding names impossible to prepare in advance;
// a chance collision has odds of about 2^-64 per pair.
//
// Not copyable (it owns an OpenSSL context); one thread at a time.

#include <array>
#include <cstdint>
#include <string_view>

namespace volback::archive {

class NameDigest {
 public:
  NameDigest();
  ~NameDigest();
  NameDigest(const NameDigest&) = delete;
  NameDigest& operator=(const NameDigest&) = delete;

  std::uint64_t operator()(std::string_view name) const;

 private:
  std::array<unsigned char, 16> m_salt{};
  void* m_ctx = nullptr;  // EVP_MD_CTX*, reused for every digest
};

}  // namespace volback::archive
