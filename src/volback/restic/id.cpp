#include <volback/restic/id.hpp>

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <volback/util/hex_digit.hpp>

namespace volback::restic {

Id Id::of(std::span<const unsigned char> data) {
  Id id;
  SHA256(data.data(), data.size(), id.bytes.data());
  return id;
}

Id Id::of(std::string_view data) {
  return of({reinterpret_cast<const unsigned char*>(data.data()), data.size()});
}

IdHasher::IdHasher() : m_ctx(EVP_MD_CTX_new()) {
  m_failed = m_ctx == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_ctx), EVP_sha256(), nullptr) != 1;
}

IdHasher::~IdHasher() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
}

void IdHasher::update(std::string_view data) {
  m_failed = m_failed || EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data.data(), data.size()) != 1;
}

util::Result<Id> IdHasher::finish() {
  Id id;
  unsigned int length = 0;
  if (m_failed || EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), id.bytes.data(), &length) != 1 ||
      length != id.bytes.size()) {
    m_failed = true;
    return util::fail(util::ErrorKind::permanent, "SHA-256 failed in OpenSSL");
  }
  m_failed = true;  // spent
  return id;
}

util::Result<Id> Id::parse(std::string_view hex) {
  Id id;
  if (hex.size() != 2 * id.bytes.size()) {
    return util::fail(util::ErrorKind::corrupt, "not an id: expected 64 hex characters");
  }
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    const int high = util::hex_digit_value(hex[2 * i]);
    const int low = util::hex_digit_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return util::fail(util::ErrorKind::corrupt, "not an id: a character is not hex");
    }
    id.bytes[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return id;
}

std::string Id::hex() const {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(2 * bytes.size(), '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = k_digits[bytes[i] >> 4];
    out[2 * i + 1] = k_digits[bytes[i] & 0xf];
  }
  return out;
}

bool Id::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](unsigned char b) { return b == 0; });
}

}  // namespace volback::restic
