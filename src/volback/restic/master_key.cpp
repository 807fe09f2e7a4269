#include <volback/restic/master_key.hpp>

#include <algorithm>
#include <array>
#include <memory>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <volback/crypto/primitives.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_encrypt_key_size = 32;
constexpr std::size_t k_mac_key_size = 16;
// Poly1305's clamp of r: the top 4 bits of bytes 3, 7, 11, 15 and the low 2 bits of 4, 8, 12.
constexpr std::array<unsigned char, 16> k_poly1305_clamp = {0xff, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f,
                                                            0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f};

using Bytes = std::span<const unsigned char>;
using Mac = std::array<unsigned char, k_mac_size>;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

util::Error sealing_error(std::string_view what) {
  return util::Error(util::ErrorKind::permanent, std::string("restic encryption: ") + std::string(what) + " failed");
}

bool all_zero(Bytes bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](unsigned char b) { return b == 0; });
}

void clamp_r(std::span<unsigned char> r) {
  for (std::size_t i = 0; i < r.size(); ++i) {
    r[i] &= k_poly1305_clamp[i];
  }
}

// AES-256-CTR with the IV as the initial 128-bit big-endian counter, as Go's cipher.NewCTR.
util::Result<void> aes_ctr(const MasterKey& key, Bytes iv, Bytes in, unsigned char* out) {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-CTR", nullptr);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (cipher == nullptr || !ctx ||
      EVP_EncryptInit_ex2(ctx.get(), cipher, key.encrypt.data(), iv.data(), nullptr) != 1) {
    return util::fail(sealing_error("AES-256-CTR setup"));
  }
  // EVP takes int lengths: go in pieces of at most 1 GiB.
  constexpr std::size_t k_piece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < in.size();) {
    const std::size_t n = std::min(k_piece, in.size() - done);
    int written = 0;
    if (EVP_EncryptUpdate(ctx.get(), out + done, &written, in.data() + done, static_cast<int>(n)) != 1) {
      return util::fail(sealing_error("AES-256-CTR"));
    }
    done += n;
  }
  return {};
}

// Poly1305(r || AES-128(K, IV), ciphertext).
util::Result<Mac> poly1305_aes(const MasterKey& key, Bytes iv, Bytes ciphertext) {
  static EVP_CIPHER* const ecb = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  static EVP_MAC* const poly1305 = EVP_MAC_fetch(nullptr, "POLY1305", nullptr);
  crypto::SecretBytes one_time_key(32);
  std::copy(key.mac_r.span().begin(), key.mac_r.span().end(), one_time_key.data());
  clamp_r(one_time_key.span().first(16));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int written = 0;
  if (ecb == nullptr || !ctx || EVP_EncryptInit_ex2(ctx.get(), ecb, key.mac_k.data(), nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_EncryptUpdate(ctx.get(), one_time_key.data() + 16, &written, iv.data(), static_cast<int>(k_iv_size)) != 1 ||
      written != static_cast<int>(k_iv_size)) {
    return util::fail(sealing_error("AES-128 of the IV"));
  }
  MacCtx mac(poly1305 == nullptr ? nullptr : EVP_MAC_CTX_new(poly1305));
  if (!mac || EVP_MAC_init(mac.get(), one_time_key.data(), one_time_key.size(), nullptr) != 1) {
    return util::fail(sealing_error("Poly1305 setup"));
  }
  constexpr std::size_t k_piece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < ciphertext.size();) {
    const std::size_t n = std::min(k_piece, ciphertext.size() - done);
    if (EVP_MAC_update(mac.get(), ciphertext.data() + done, n) != 1) {
      return util::fail(sealing_error("Poly1305"));
    }
    done += n;
  }
  Mac tag{};
  std::size_t tag_size = 0;
  if (EVP_MAC_final(mac.get(), tag.data(), &tag_size, tag.size()) != 1 || tag_size != tag.size()) {
    return util::fail(sealing_error("Poly1305"));
  }
  return tag;
}

util::Result<void> seal_append_with_iv(const MasterKey& key, Bytes iv, Bytes plaintext, std::string& out) {
  if (!key.valid()) {
    return util::fail(util::ErrorKind::invalid_argument, "restic encryption: the master key is not valid");
  }
  if (iv.size() != k_iv_size || all_zero(iv)) {
    return util::fail(util::ErrorKind::invalid_argument, "restic encryption: the IV must be 16 bytes, not all zero");
  }
  const std::size_t start = out.size();
  out.resize(start + k_seal_overhead + plaintext.size());
  auto* base = reinterpret_cast<unsigned char*>(out.data()) + start;
  std::copy(iv.begin(), iv.end(), base);
  unsigned char* ciphertext = base + k_iv_size;
  if (auto encrypted = aes_ctr(key, iv, plaintext, ciphertext); !encrypted) {
    out.resize(start);
    return encrypted;
  }
  auto tag = poly1305_aes(key, iv, Bytes(ciphertext, plaintext.size()));
  if (!tag) {
    out.resize(start);
    return util::fail(tag.error());
  }
  std::copy(tag->begin(), tag->end(), ciphertext + plaintext.size());
  return {};
}

Bytes as_bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

}  // namespace

util::Result<MasterKey> MasterKey::generate() {
  crypto::SecretBytes bytes(k_encrypt_key_size + 2 * k_mac_key_size);
  do {
    VOLBACK_TRY(crypto::random_bytes(bytes.span()));
    clamp_r(bytes.span().subspan(k_encrypt_key_size + k_mac_key_size));
  } while (all_zero(bytes.span().first(k_encrypt_key_size)) ||
           all_zero(bytes.span().subspan(k_encrypt_key_size, k_mac_key_size)) ||
           all_zero(bytes.span().subspan(k_encrypt_key_size + k_mac_key_size)));
  return from_derived(bytes.span());
}

util::Result<MasterKey> MasterKey::from_derived(std::span<const unsigned char> bytes) {
  if (bytes.size() != k_encrypt_key_size + 2 * k_mac_key_size) {
    return util::fail(util::ErrorKind::invalid_argument, "a restic key is 64 bytes");
  }
  return MasterKey{crypto::SecretBytes(bytes.first(k_encrypt_key_size)),
                   crypto::SecretBytes(bytes.subspan(k_encrypt_key_size, k_mac_key_size)),
                   crypto::SecretBytes(bytes.subspan(k_encrypt_key_size + k_mac_key_size))};
}

bool MasterKey::valid() const {
  return encrypt.size() == k_encrypt_key_size && mac_k.size() == k_mac_key_size && mac_r.size() == k_mac_key_size &&
         !all_zero(encrypt.span()) && !all_zero(mac_k.span()) && !all_zero(mac_r.span());
}

util::Result<void> seal_append(const MasterKey& key, std::span<const unsigned char> plaintext, std::string& out) {
  std::array<unsigned char, k_iv_size> iv{};
  do {
    VOLBACK_TRY(crypto::random_bytes(iv));
  } while (all_zero(iv));
  return seal_append_with_iv(key, iv, plaintext, out);
}

util::Result<void> seal_in_place(const MasterKey& key, std::string& out, std::size_t start) {
  if (!key.valid()) {
    return util::fail(util::ErrorKind::invalid_argument, "restic encryption: the master key is not valid");
  }
  if (out.size() < start + k_iv_size) {
    return util::fail(util::ErrorKind::invalid_argument, "restic encryption: no room for the IV");
  }
  std::array<unsigned char, k_iv_size> iv{};
  do {
    VOLBACK_TRY(crypto::random_bytes(iv));
  } while (all_zero(iv));
  auto* base = reinterpret_cast<unsigned char*>(out.data()) + start;
  std::copy(iv.begin(), iv.end(), base);
  unsigned char* text = base + k_iv_size;
  const std::size_t size = out.size() - start - k_iv_size;
  VOLBACK_TRY(aes_ctr(key, iv, Bytes(text, size), text));
  VOLBACK_TRY_ASSIGN(const Mac tag, poly1305_aes(key, iv, Bytes(text, size)));
  out.append(reinterpret_cast<const char*>(tag.data()), tag.size());
  return {};
}

util::Result<std::string> seal(const MasterKey& key, std::string_view plaintext) {
  std::string out;
  VOLBACK_TRY(seal_append(key, as_bytes(plaintext), out));
  return out;
}

util::Result<std::string> seal_with_iv(const MasterKey& key, std::span<const unsigned char> iv,
                                       std::string_view plaintext) {
  std::string out;
  VOLBACK_TRY(seal_append_with_iv(key, iv, as_bytes(plaintext), out));
  return out;
}

util::Result<std::string> open_sealed(const MasterKey& key, std::span<const unsigned char> sealed) {
  if (!key.valid()) {
    return util::fail(util::ErrorKind::invalid_argument, "restic encryption: the master key is not valid");
  }
  if (sealed.size() < k_seal_overhead) {
    return util::fail(util::ErrorKind::corrupt, "ciphertext verification failed: shorter than IV and MAC");
  }
  const Bytes iv = sealed.first(k_iv_size);
  const Bytes ciphertext = sealed.subspan(k_iv_size, sealed.size() - k_seal_overhead);
  const Bytes stored_tag = sealed.last(k_mac_size);
  if (all_zero(iv)) {
    return util::fail(util::ErrorKind::corrupt, "ciphertext verification failed: the IV is all zero");
  }
  VOLBACK_TRY_ASSIGN(const Mac tag, poly1305_aes(key, iv, ciphertext));
  if (CRYPTO_memcmp(tag.data(), stored_tag.data(), k_mac_size) != 0) {
    return util::fail(util::ErrorKind::corrupt, "ciphertext verification failed");
  }
  std::string plaintext(ciphertext.size(), '\0');
  VOLBACK_TRY(aes_ctr(key, iv, ciphertext, reinterpret_cast<unsigned char*>(plaintext.data())));
  return plaintext;
}

util::Result<std::string> open_sealed(const MasterKey& key, std::string_view sealed) {
  return open_sealed(key, as_bytes(sealed));
}

}  // namespace volback::restic
