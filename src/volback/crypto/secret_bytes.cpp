#include <volback/crypto/secret_bytes.hpp>

#include <openssl/crypto.h>

namespace volback::crypto {

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    wipe();
    m_bytes = other.m_bytes;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    m_bytes = std::move(other.m_bytes);
    other.m_bytes.clear();
  }
  return *this;
}

bool SecretBytes::equals(std::span<const unsigned char> other) const {
  return other.size() == m_bytes.size() && CRYPTO_memcmp(other.data(), m_bytes.data(), m_bytes.size()) == 0;
}

void SecretBytes::wipe() {
  if (!m_bytes.empty()) {
    OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
  }
  m_bytes.clear();
}

}  // namespace volback::crypto
