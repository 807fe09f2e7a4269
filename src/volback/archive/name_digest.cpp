#include <volback/archive/name_digest.hpp>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <functional>

namespace volback::archive {

NameDigest::NameDigest() : m_ctx(EVP_MD_CTX_new()) {
  if (RAND_bytes(m_salt.data(), static_cast<int>(m_salt.size())) != 1) {
    m_salt.fill(0);  // still SHA-256; only prepared collisions get easier
  }
}

NameDigest::~NameDigest() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
}

std::uint64_t NameDigest::operator()(std::string_view name) const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(m_ctx);
  std::uint64_t value = 0;
  if (ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx, m_salt.data(), m_salt.size()) == 1 &&
      EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 && EVP_DigestFinal_ex(ctx, md, &length) == 1) {
    std::memcpy(&value, md, sizeof value);
  } else {
    value = std::hash<std::string_view>{}(name);
  }
  return value;
}

}  // namespace volback::archive
