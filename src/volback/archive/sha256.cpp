#include <volback/archive/sha256.hpp>

#include <array>

#include <openssl/evp.h>

namespace volback::archive {
namespace {

EVP_MD_CTX* md(void* ctx) {
  return static_cast<EVP_MD_CTX*>(ctx);
}

util::Result<void> check(int rc, const char* what) {
  if (rc != 1) {
    return util::fail(util::ErrorKind::permanent, std::string("OpenSSL SHA-256 ") + what + " failed");
  }
  return {};
}

}  // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {}

Sha256::~Sha256() {
  EVP_MD_CTX_free(md(m_ctx));
}

util::Result<void> Sha256::reset() {
  if (m_ctx == nullptr) {
    return util::fail(util::ErrorKind::permanent, "OpenSSL cannot allocate a digest context");
  }
  return check(EVP_DigestInit_ex(md(m_ctx), EVP_sha256(), nullptr), "init");
}

util::Result<void> Sha256::update(std::span<const std::byte> data) {
  return check(EVP_DigestUpdate(md(m_ctx), data.data(), data.size()), "update");
}

util::Result<void> Sha256::update_zeros(std::uint64_t count) {
  static const std::array<std::byte, 65536> k_zeros{};
  while (count > 0) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(count, k_zeros.size()));
    VOLBACK_TRY(update(std::span(k_zeros.data(), n)));
    count -= n;
  }
  return {};
}

util::Result<std::string> Sha256::final_hex() {
  static constexpr char k_digits[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  VOLBACK_TRY(check(EVP_DigestFinal_ex(md(m_ctx), digest, &length), "final"));
  std::string out(std::size_t{length} * 2, '0');
  for (unsigned i = 0; i < length; ++i) {
    out[2 * i] = k_digits[digest[i] >> 4];
    out[2 * i + 1] = k_digits[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace volback::archive
