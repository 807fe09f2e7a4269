#include <volback/crypto/primitives.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <cstring>
#include <mutex>
#include <new>

#include <fmt/format.h>

namespace volback::crypto {

namespace {

const EVP_MD* md_of(Hash hash) {
  switch (hash) {
  case Hash::sha1: return EVP_sha1();
  case Hash::sha224: return EVP_sha224();
  case Hash::sha256: return EVP_sha256();
  case Hash::sha384: return EVP_sha384();
  case Hash::sha512: return EVP_sha512();
  }
  return EVP_sha256();
}

const EVP_CIPHER* cfb_of(Cipher cipher) {
  switch (cipher) {
  case Cipher::aes128: return EVP_aes_128_cfb128();
  case Cipher::aes192: return EVP_aes_192_cfb128();
  case Cipher::aes256: return EVP_aes_256_cfb128();
  case Cipher::camellia128: return EVP_camellia_128_cfb128();
  case Cipher::camellia192: return EVP_camellia_192_cfb128();
  case Cipher::camellia256: return EVP_camellia_256_cfb128();
  }
  return EVP_aes_256_cfb128();
}

const EVP_CIPHER* cbc_of(Cipher cipher) {
  switch (cipher) {
  case Cipher::aes128: return EVP_aes_128_cbc();
  case Cipher::aes192: return EVP_aes_192_cbc();
  case Cipher::aes256: return EVP_aes_256_cbc();
  case Cipher::camellia128: return EVP_camellia_128_cbc();
  case Cipher::camellia192: return EVP_camellia_192_cbc();
  case Cipher::camellia256: return EVP_camellia_256_cbc();
  }
  return EVP_aes_256_cbc();
}

util::Error openssl_error(std::string_view what) {
  return util::Error(util::ErrorKind::permanent, fmt::format("{} failed in OpenSSL", what));
}

EVP_CIPHER_CTX* cipher_ctx(void* p) {
  return static_cast<EVP_CIPHER_CTX*>(p);
}

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::bad_alloc();  // libsodium cannot start: no usable randomness or memory
    }
  });
}

int to_int(std::size_t n) {
  return static_cast<int>(n);
}

}  // namespace

util::Result<void> random_bytes(std::span<unsigned char> out) {
  if (!out.empty() && RAND_bytes(out.data(), to_int(out.size())) != 1) {
    return util::fail(openssl_error("drawing random bytes"));
  }
  return {};
}

std::size_t hash_size(Hash hash) {
  return static_cast<std::size_t>(EVP_MD_get_size(md_of(hash)));
}

std::string hash_of(Hash hash, std::span<const unsigned char> data) {
  Digest digest(hash);
  digest.update(data);
  return digest.final();
}

Digest::Digest(Hash hash) : m_ctx(EVP_MD_CTX_new()) {
  if (m_ctx == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_ctx), md_of(hash), nullptr) != 1) {
    throw std::bad_alloc();  // a digest context fails only without memory
  }
}

Digest::~Digest() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
}

void Digest::update(std::span<const unsigned char> data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data.data(), data.size());
}

std::string Digest::final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), out, &len);
  return {reinterpret_cast<const char*>(out), len};
}

Bytes32 hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
  Bytes32 out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), to_int(key.size()), as_uchars(data).data(), data.size(), out.data(), &len);
  return out;
}

util::Result<SecretBytes> hkdf_sha256(std::span<const unsigned char> ikm, std::string_view salt, std::string_view info,
                                      std::size_t length) {
  // RFC 5869 with HMAC directly: OpenSSL's HKDF refuses an empty secret, which age's
  // ssh-ed25519 tweak uses.
  if (length > 255 * 32) {
    return util::fail(util::ErrorKind::invalid_argument, "HKDF cannot make that many bytes");
  }
  const Bytes32 prk = hmac_sha256(as_uchars(salt), as_chars(ikm));
  SecretBytes out(length);
  std::string block;
  for (std::size_t done = 0, counter = 1; done < length; ++counter) {
    block += info;
    block += static_cast<char>(counter);
    const Bytes32 t = hmac_sha256(prk, block);
    const std::size_t n = std::min<std::size_t>(32, length - done);
    std::copy_n(t.begin(), n, out.data() + done);
    done += n;
    block.assign(as_chars(t));
  }
  OPENSSL_cleanse(block.data(), block.size());
  return out;
}

util::Result<SecretBytes> scrypt(std::string_view passphrase, std::string_view salt, unsigned log2_n,
                                 std::size_t length) {
  if (log2_n == 0 || log2_n > 22) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("scrypt work factor {} is out of range", log2_n));
  }
  constexpr std::uint64_t r = 8;
  constexpr std::uint64_t p = 1;
  const std::uint64_t n = std::uint64_t{1} << log2_n;
  const std::uint64_t max_mem = 128 * r * (n + 2 + p) + (std::uint64_t{1} << 20);
  SecretBytes out(length);
  if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), as_uchars(salt).data(), salt.size(), n, r, p, max_mem,
                     out.data(), length) != 1) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("scrypt (work factor {}, {} MiB) failed: out of memory?", log2_n, 128 * r * n >> 20));
  }
  return out;
}

bool scrypt_cost_acceptable(const ScryptCost& cost) {
  constexpr std::uint64_t k_max_memory = std::uint64_t{1} << 30;
  constexpr std::uint64_t k_max_work = std::uint64_t{1} << 28;
  const bool power_of_two = cost.n > 1 && (cost.n & (cost.n - 1)) == 0;
  if (!power_of_two || cost.r < 1 || cost.p < 1 || cost.n > k_max_memory / 128 / cost.r) {
    return false;
  }
  return cost.p <= k_max_work / (cost.n * cost.r);  // n * r <= 2^23 here: no overflow
}

util::Result<SecretBytes> scrypt(std::string_view passphrase, std::string_view salt, const ScryptCost& cost,
                                 std::size_t length) {
  if (!scrypt_cost_acceptable(cost)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("scrypt cost N={} r={} p={} is out of range", cost.n, cost.r, cost.p));
  }
  const std::uint64_t max_mem = 128 * cost.r * (cost.n + 2 + cost.p) + (std::uint64_t{1} << 20);
  SecretBytes out(length);
  if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), as_uchars(salt).data(), salt.size(), cost.n, cost.r, cost.p,
                     max_mem, out.data(), length) != 1) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("scrypt (N={} r={} p={}) failed: out of memory?", cost.n, cost.r, cost.p));
  }
  return out;
}

util::Result<Bytes32> x25519(std::span<const unsigned char> scalar, std::span<const unsigned char> point) {
  ensure_sodium();
  if (scalar.size() != 32 || point.size() != 32) {
    return util::fail(util::ErrorKind::invalid_argument, "X25519 takes 32-byte scalars and points");
  }
  Bytes32 out{};
  if (crypto_scalarmult(out.data(), scalar.data(), point.data()) != 0) {
    return util::fail(util::ErrorKind::corrupt, "X25519 with a low-order point");
  }
  return out;
}

Bytes32 x25519_base(std::span<const unsigned char> scalar) {
  ensure_sodium();
  Bytes32 out{};
  crypto_scalarmult_base(out.data(), scalar.data());
  return out;
}

util::Result<Bytes32> ed25519_public_to_x25519(std::span<const unsigned char> public_key) {
  ensure_sodium();
  Bytes32 out{};
  if (public_key.size() != crypto_sign_ed25519_PUBLICKEYBYTES ||
      crypto_sign_ed25519_pk_to_curve25519(out.data(), public_key.data()) != 0) {
    return util::fail(util::ErrorKind::invalid_argument, "not a valid Ed25519 public key");
  }
  return out;
}

SecretBytes ed25519_secret_to_x25519(std::span<const unsigned char> secret_key) {
  ensure_sodium();
  SecretBytes out(32);
  crypto_sign_ed25519_sk_to_curve25519(out.data(), secret_key.data());
  return out;
}

// ChaCha20Poly1305 ------------------------------------------------------------------------

util::Result<ChaCha20Poly1305> ChaCha20Poly1305::create(std::span<const unsigned char> key) {
  if (key.size() != 32) {
    return util::fail(util::ErrorKind::invalid_argument, "ChaCha20-Poly1305 takes a 32-byte key");
  }
  ChaCha20Poly1305 aead(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_new());
  if (aead.m_encrypt == nullptr || aead.m_decrypt == nullptr ||
      EVP_EncryptInit_ex(cipher_ctx(aead.m_encrypt), EVP_chacha20_poly1305(), nullptr, key.data(), nullptr) != 1 ||
      EVP_DecryptInit_ex(cipher_ctx(aead.m_decrypt), EVP_chacha20_poly1305(), nullptr, key.data(), nullptr) != 1) {
    return util::fail(openssl_error("ChaCha20-Poly1305 setup"));
  }
  return aead;
}

ChaCha20Poly1305::ChaCha20Poly1305(ChaCha20Poly1305&& other) noexcept
  : m_encrypt(std::exchange(other.m_encrypt, nullptr)), m_decrypt(std::exchange(other.m_decrypt, nullptr)) {}

ChaCha20Poly1305& ChaCha20Poly1305::operator=(ChaCha20Poly1305&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(cipher_ctx(m_encrypt));
    EVP_CIPHER_CTX_free(cipher_ctx(m_decrypt));
    m_encrypt = std::exchange(other.m_encrypt, nullptr);
    m_decrypt = std::exchange(other.m_decrypt, nullptr);
  }
  return *this;
}

ChaCha20Poly1305::~ChaCha20Poly1305() {
  EVP_CIPHER_CTX_free(cipher_ctx(m_encrypt));
  EVP_CIPHER_CTX_free(cipher_ctx(m_decrypt));
}

util::Result<void> ChaCha20Poly1305::seal(std::span<const unsigned char> nonce,
                                          std::span<const unsigned char> plaintext, std::span<unsigned char> out) {
  auto* ctx = cipher_ctx(m_encrypt);
  int len = 0;
  int final_len = 0;
  if (nonce.size() != k_nonce_size || out.size() != plaintext.size() + k_tag_size) {
    return util::fail(util::ErrorKind::invalid_argument, "ChaCha20-Poly1305: wrong nonce or buffer size");
  }
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx, out.data(), &len, plaintext.data(), to_int(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, out.data() + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, k_tag_size, out.data() + plaintext.size()) != 1) {
    return util::fail(openssl_error("ChaCha20-Poly1305 encryption"));
  }
  return {};
}

util::Result<void> ChaCha20Poly1305::open(std::span<const unsigned char> nonce,
                                          std::span<const unsigned char> ciphertext, std::span<unsigned char> out) {
  auto* ctx = cipher_ctx(m_decrypt);
  if (nonce.size() != k_nonce_size || ciphertext.size() < k_tag_size || out.size() != ciphertext.size() - k_tag_size) {
    return util::fail(util::ErrorKind::invalid_argument, "ChaCha20-Poly1305: wrong nonce or buffer size");
  }
  const std::size_t body = ciphertext.size() - k_tag_size;
  int len = 0;
  int final_len = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx, out.data(), &len, ciphertext.data(), to_int(body)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, k_tag_size,
                          const_cast<unsigned char*>(ciphertext.data() + body)) != 1) {
    return util::fail(openssl_error("ChaCha20-Poly1305 decryption"));
  }
  if (EVP_DecryptFinal_ex(ctx, out.data() + len, &final_len) != 1) {
    return util::fail(util::ErrorKind::corrupt, "the authentication tag does not match");
  }
  return {};
}

util::Result<std::string> seal_zero_nonce(std::span<const unsigned char> key,
                                          std::span<const unsigned char> plaintext) {
  VOLBACK_TRY_ASSIGN(auto aead, ChaCha20Poly1305::create(key));
  const std::array<unsigned char, ChaCha20Poly1305::k_nonce_size> nonce{};
  std::string out(plaintext.size() + ChaCha20Poly1305::k_tag_size, '\0');
  VOLBACK_TRY(aead.seal(nonce, plaintext, {reinterpret_cast<unsigned char*>(out.data()), out.size()}));
  return out;
}

util::Result<SecretBytes> open_zero_nonce(std::span<const unsigned char> key,
                                          std::span<const unsigned char> ciphertext) {
  if (ciphertext.size() < ChaCha20Poly1305::k_tag_size) {
    return util::fail(util::ErrorKind::corrupt, "the wrapped key is too short");
  }
  VOLBACK_TRY_ASSIGN(auto aead, ChaCha20Poly1305::create(key));
  const std::array<unsigned char, ChaCha20Poly1305::k_nonce_size> nonce{};
  SecretBytes out(ciphertext.size() - ChaCha20Poly1305::k_tag_size);
  VOLBACK_TRY(aead.open(nonce, ciphertext, out.span()));
  return out;
}

util::Result<std::optional<SecretBytes>> unwrapped_or_none(util::Result<SecretBytes> opened) {
  if (opened) {
    return std::optional<SecretBytes>(std::move(*opened));
  }
  if (opened.error().kind() == util::ErrorKind::corrupt) {
    return std::optional<SecretBytes>{};
  }
  return util::fail(opened.error());
}

// CfbCipher -------------------------------------------------------------------------------

std::size_t key_size(Cipher cipher) {
  switch (cipher) {
  case Cipher::aes128:
  case Cipher::camellia128: return 16;
  case Cipher::aes192:
  case Cipher::camellia192: return 24;
  case Cipher::aes256:
  case Cipher::camellia256: return 32;
  }
  return 32;
}

util::Result<CfbCipher> CfbCipher::create(Cipher cipher, std::span<const unsigned char> key,
                                          std::span<const unsigned char> iv, Direction direction) {
  if (key.size() != key_size(cipher) || iv.size() != k_block_size) {
    return util::fail(util::ErrorKind::invalid_argument, "CFB: wrong key or IV size");
  }
  CfbCipher out(EVP_CIPHER_CTX_new(), direction);
  if (out.m_ctx == nullptr) {
    return util::fail(openssl_error("CFB setup"));
  }
  if (direction == Direction::decrypt) {
    if (EVP_DecryptInit_ex(cipher_ctx(out.m_ctx), cfb_of(cipher), nullptr, key.data(), iv.data()) != 1) {
      return util::fail(openssl_error("CFB setup"));
    }
    return out;
  }
  // Encryption runs on CBC (see update): with a zero IV, the CBC encryption of the IV is the
  // cipher of the IV, the keystream of the first block, and CBC's chaining value.
  const std::array<unsigned char, k_block_size> zero{};
  int len = 0;
  if (EVP_EncryptInit_ex(cipher_ctx(out.m_ctx), cbc_of(cipher), nullptr, key.data(), zero.data()) != 1 ||
      EVP_CIPHER_CTX_set_padding(cipher_ctx(out.m_ctx), 0) != 1 ||
      EVP_EncryptUpdate(cipher_ctx(out.m_ctx), out.m_keystream.data(), &len, iv.data(), to_int(k_block_size)) != 1 ||
      static_cast<std::size_t>(len) != k_block_size) {
    return util::fail(openssl_error("CFB setup"));
  }
  return out;
}

CfbCipher::CfbCipher(CfbCipher&& other) noexcept
  : m_ctx(std::exchange(other.m_ctx, nullptr)),
    m_direction(other.m_direction),
    m_keystream(other.m_keystream),
    m_plain(other.m_plain),
    m_used(other.m_used) {}

CfbCipher& CfbCipher::operator=(CfbCipher&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(cipher_ctx(m_ctx));
    m_ctx = std::exchange(other.m_ctx, nullptr);
    m_direction = other.m_direction;
    m_keystream = other.m_keystream;
    m_plain = other.m_plain;
    m_used = other.m_used;
  }
  return *this;
}

CfbCipher::~CfbCipher() {
  EVP_CIPHER_CTX_free(cipher_ctx(m_ctx));
  OPENSSL_cleanse(m_keystream.data(), m_keystream.size());
  OPENSSL_cleanse(m_plain.data(), m_plain.size());
}

util::Result<void> CfbCipher::update(std::span<const unsigned char> in, std::span<unsigned char> out) {
  if (m_direction == Direction::encrypt) {
    return encrypt(in, out);
  }
  // EVP_CipherUpdate takes an int length: large buffers go in slices.
  constexpr std::size_t k_slice = std::size_t{1} << 30;
  for (std::size_t at = 0; at < in.size(); at += k_slice) {
    const std::size_t n = std::min(k_slice, in.size() - at);
    int len = 0;
    if (EVP_CipherUpdate(cipher_ctx(m_ctx), out.data() + at, &len, in.data() + at, to_int(n)) != 1 ||
        static_cast<std::size_t>(len) != n) {
      return util::fail(openssl_error("CFB"));
    }
  }
  return {};
}

// CFB encryption is C[i] = P[i] ^ E(C[i-1]), and E(C[i]) = E(P[i] ^ E(C[i-1])) is what CBC
// encryption makes of P[i] when its chaining value is E(C[i-1]). So the CBC encryption of the
// plaintext, shifted by one block, is CFB's keystream: OpenSSL's CBC encryption (one assembly
// loop over the buffer) does the sequential work, and a vectorised XOR the rest. The CBC
// context's chaining value is always m_keystream, the keystream of the current block; a block
// begun by an earlier call is finished byte by byte from m_plain.
util::Result<void> CfbCipher::encrypt(std::span<const unsigned char> in, std::span<unsigned char> out) {
  const std::size_t size = in.size();
  std::size_t i = 0;
  // Each byte's plaintext is read before its ciphertext is written: in and out may be the same.
  while (m_used != 0 && i < size) {
    m_plain[m_used] = in[i];
    out[i] = in[i] ^ m_keystream[m_used];
    ++i;
    if (++m_used == k_block_size) {
      int len = 0;
      if (EVP_EncryptUpdate(cipher_ctx(m_ctx), m_keystream.data(), &len, m_plain.data(), to_int(k_block_size)) != 1) {
        return util::fail(openssl_error("CFB"));
      }
      m_used = 0;
    }
  }
  constexpr std::size_t k_chunk = 8 * 1024;
  std::array<unsigned char, k_chunk> next;  // the keystream of the blocks after the chunk's first
  while (size - i >= k_block_size) {
    const std::size_t n = std::min(k_chunk, (size - i) / k_block_size * k_block_size);
    int len = 0;
    if (EVP_EncryptUpdate(cipher_ctx(m_ctx), next.data(), &len, in.data() + i, to_int(n)) != 1 ||
        static_cast<std::size_t>(len) != n) {
      return util::fail(openssl_error("CFB"));
    }
    const unsigned char* p = in.data() + i;
    unsigned char* c = out.data() + i;
    for (std::size_t k = 0; k < k_block_size; ++k) {
      c[k] = p[k] ^ m_keystream[k];
    }
    for (std::size_t k = k_block_size; k < n; ++k) {
      c[k] = p[k] ^ next[k - k_block_size];
    }
    std::memcpy(m_keystream.data(), next.data() + n - k_block_size, k_block_size);
    i += n;
  }
  for (; i < size; ++i, ++m_used) {
    m_plain[m_used] = in[i];
    out[i] = in[i] ^ m_keystream[m_used];
  }
  return {};
}

// AES key wrap ----------------------------------------------------------------------------

namespace {

const EVP_CIPHER* wrap_cipher(std::size_t kek_size) {
  switch (kek_size) {
  case 16: return EVP_aes_128_wrap();
  case 24: return EVP_aes_192_wrap();
  case 32: return EVP_aes_256_wrap();
  default: return nullptr;
  }
}

util::Result<std::size_t> key_wrap(std::span<const unsigned char> kek, std::span<const unsigned char> in,
                                   std::span<unsigned char> out, int encrypt) {
  const EVP_CIPHER* cipher = wrap_cipher(kek.size());
  if (cipher == nullptr || in.size() % 8 != 0 || in.size() < 16) {
    return util::fail(util::ErrorKind::corrupt, "AES key wrap: wrong key or data size");
  }
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) {
    return util::fail(openssl_error("AES key wrap"));
  }
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  int len = 0;
  int final_len = 0;
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, kek.data(), nullptr, encrypt) != 1) {
    return util::fail(openssl_error("AES key wrap"));
  }
  if (EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), to_int(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) {
    if (encrypt == 0) {
      return util::fail(util::ErrorKind::corrupt, "AES key unwrap: the integrity check failed");
    }
    return util::fail(openssl_error("AES key wrap"));
  }
  return static_cast<std::size_t>(len + final_len);
}

}  // namespace

util::Result<std::string> aes_key_wrap(std::span<const unsigned char> kek, std::span<const unsigned char> plaintext) {
  std::string out(plaintext.size() + 8, '\0');
  VOLBACK_TRY_ASSIGN(const auto n,
                     key_wrap(kek, plaintext, {reinterpret_cast<unsigned char*>(out.data()), out.size()}, 1));
  out.resize(n);
  return out;
}

util::Result<SecretBytes> aes_key_unwrap(std::span<const unsigned char> kek, std::span<const unsigned char> wrapped) {
  if (wrapped.size() < 24) {
    return util::fail(util::ErrorKind::corrupt, "AES key unwrap: the wrapped key is too short");
  }
  SecretBytes out(wrapped.size());
  VOLBACK_TRY_ASSIGN(const auto n, key_wrap(kek, wrapped, out.span(), 0));
  SecretBytes result(std::span<const unsigned char>(out.data(), n));
  return result;
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

}  // namespace volback::crypto
