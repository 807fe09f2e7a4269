#include <volback/storage/digest.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include <volback/util/base64.hpp>

namespace volback::storage {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx new_ctx(const EVP_MD* md) {
  MdCtx ctx(EVP_MD_CTX_new());
  // Allocation failure of a digest context is a bug-level condition (out of memory).
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
  return ctx;
}

template <std::size_t N>
std::array<unsigned char, N> digest_of(const EVP_MD* md, const void* data, std::size_t size) {
  std::array<unsigned char, N> out{};
  unsigned int len = 0;
  EVP_Digest(data, size, out.data(), &len, md, nullptr);
  return out;
}

}  // namespace

Sha256Digest sha256(std::span<const std::byte> data) {
  return digest_of<32>(EVP_sha256(), data.data(), data.size());
}

Sha256Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out.data(), &len);
  return out;
}

std::array<unsigned char, 20> hmac_sha1(std::span<const unsigned char> key, std::span<const unsigned char> data) {
  std::array<unsigned char, 20> out{};
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

std::optional<std::vector<unsigned char>> from_base64(std::string_view text) {
  const auto decoded = util::base64_decode(text, util::Padding::yes);
  if (!decoded) {
    return std::nullopt;
  }
  return std::vector<unsigned char>(decoded->begin(), decoded->end());
}

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char b : bytes) {
    out += k_digits[b >> 4];
    out += k_digits[b & 0x0f];
  }
  return out;
}

std::string to_base64(std::span<const unsigned char> bytes) {
  return util::base64_encode(bytes);
}

std::string sha256_hex(std::string_view text) {
  return to_hex(digest_of<32>(EVP_sha256(), text.data(), text.size()));
}

std::string md5_base64(std::string_view text) {
  return to_base64(digest_of<16>(EVP_md5(), text.data(), text.size()));
}

struct PartDigest::State {
  MdCtx sha = new_ctx(EVP_sha256());
  MdCtx md5 = new_ctx(EVP_md5());
};

PartDigest::PartDigest() : m_state(std::make_unique<State>()) {}
PartDigest::~PartDigest() = default;
PartDigest::PartDigest(PartDigest&&) noexcept = default;
PartDigest& PartDigest::operator=(PartDigest&&) noexcept = default;

void PartDigest::update(std::span<const std::byte> data) {
  EVP_DigestUpdate(m_state->sha.get(), data.data(), data.size());
  EVP_DigestUpdate(m_state->md5.get(), data.data(), data.size());
}

void PartDigest::finish() {
  Sha256Digest sha{};
  Md5Digest md5{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(m_state->sha.get(), sha.data(), &len);
  EVP_DigestFinal_ex(m_state->md5.get(), md5.data(), &len);
  m_sha256_hex = to_hex(sha);
  m_md5_base64 = to_base64(md5);
}

}  // namespace volback::storage
