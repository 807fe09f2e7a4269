#include <volback/storage/sftp/rsa_key.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <cstring>

#include <volback/storage/digest.hpp>

namespace volback::storage::sftp {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// A reader of SSH's wire encoding (RFC 4251): uint32, string, mpint.
class Wire {
 public:
  explicit Wire(std::span<const unsigned char> data) : m_data(data) {}
  std::optional<std::uint32_t> u32() {
    if (m_data.size() < 4) {
      return std::nullopt;
    }
    const std::uint32_t v = (std::uint32_t{m_data[0]} << 24) | (std::uint32_t{m_data[1]} << 16) |
                            (std::uint32_t{m_data[2]} << 8) | std::uint32_t{m_data[3]};
    m_data = m_data.subspan(4);
    return v;
  }
  std::optional<std::span<const unsigned char>> string() {
    const auto length = u32();
    if (!length || *length > m_data.size()) {
      return std::nullopt;
    }
    auto out = m_data.first(*length);
    m_data = m_data.subspan(*length);
    return out;
  }
  Bn mpint() {
    const auto bytes = string();
    if (!bytes) {
      return nullptr;
    }
    return Bn(BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), nullptr));
  }

 private:
  std::span<const unsigned char> m_data;
};

std::string_view as_text(std::span<const unsigned char> s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

void put_string(std::vector<unsigned char>& out, std::span<const unsigned char> s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  out.push_back(static_cast<unsigned char>(n >> 24));
  out.push_back(static_cast<unsigned char>(n >> 16));
  out.push_back(static_cast<unsigned char>(n >> 8));
  out.push_back(static_cast<unsigned char>(n));
  out.insert(out.end(), s.begin(), s.end());
}

void put_mpint(std::vector<unsigned char>& out, const BIGNUM* bn) {
  std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(bn)) + 1, 0);
  BN_bn2bin(bn, bytes.data() + 1);
  // A leading zero byte only when the high bit is set (a positive mpint).
  const bool pad = bytes.size() > 1 && (bytes[1] & 0x80) != 0;
  put_string(out, std::span<const unsigned char>(bytes).subspan(pad ? 0 : 1));
}

// An unencrypted "openssh-key-v1" RSA key.
Pkey parse_openssh(std::string_view text) {
  constexpr std::string_view begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
  constexpr std::string_view end = "-----END OPENSSH PRIVATE KEY-----";
  const auto b = text.find(begin);
  const auto e = text.find(end);
  if (b == std::string_view::npos || e == std::string_view::npos || e < b) {
    return nullptr;
  }
  std::string body;
  for (const char c : text.substr(b + begin.size(), e - b - begin.size())) {
    if (c != '\n' && c != '\r' && c != ' ') {
      body += c;
    }
  }
  const auto decoded = from_base64(body);
  constexpr std::string_view magic{"openssh-key-v1\0", 15};
  if (!decoded || decoded->size() < magic.size() || std::memcmp(decoded->data(), magic.data(), magic.size()) != 0) {
    return nullptr;
  }
  Wire w(std::span<const unsigned char>(*decoded).subspan(magic.size()));
  const auto cipher = w.string();
  const auto kdf = w.string();
  const auto kdf_options = w.string();
  const auto count = w.u32();
  const auto pub = w.string();
  const auto priv = w.string();
  if (!cipher || as_text(*cipher) != "none" || !kdf || !kdf_options || !count || *count != 1 || !pub || !priv) {
    return nullptr;  // encrypted: libssh2 reads it (and then signs with SHA-1)
  }
  Wire p(*priv);
  const auto check1 = p.u32();
  const auto check2 = p.u32();
  const auto type = p.string();
  if (!check1 || !check2 || *check1 != *check2 || !type || as_text(*type) != "ssh-rsa") {
    return nullptr;
  }
  Bn n = p.mpint(), e_ = p.mpint(), d = p.mpint(), iqmp = p.mpint(), q1 = p.mpint(), q2 = p.mpint();
  if (!n || !e_ || !d || !iqmp || !q1 || !q2) {
    return nullptr;
  }
  // dmp1 = d mod (p-1), dmq1 = d mod (q-1)
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), &BN_CTX_free);
  Bn p1(BN_dup(q1.get())), q1m(BN_dup(q2.get())), dmp1(BN_new()), dmq1(BN_new());
  if (!ctx || !p1 || !q1m || !dmp1 || !dmq1 || BN_sub_word(p1.get(), 1) != 1 || BN_sub_word(q1m.get(), 1) != 1 ||
      BN_mod(dmp1.get(), d.get(), p1.get(), ctx.get()) != 1 || BN_mod(dmq1.get(), d.get(), q1m.get(), ctx.get()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e_.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, q1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q2.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()),
                                                                 &OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> from(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !from || EVP_PKEY_fromdata_init(from.get()) != 1 ||
      EVP_PKEY_fromdata(from.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return nullptr;
  }
  return Pkey(key);
}

int passphrase_callback(char* buffer, int size, int, void* user) {
  const auto& passphrase = *static_cast<const std::string*>(user);
  const int n = std::min(size, static_cast<int>(passphrase.size()));
  std::memcpy(buffer, passphrase.data(), static_cast<std::size_t>(n));
  return n;
}

}  // namespace

struct RsaKey::State {
  Pkey key;
};

RsaKey::RsaKey(std::unique_ptr<State> state) : m_state(std::move(state)) {}
RsaKey::RsaKey(RsaKey&&) noexcept = default;
RsaKey& RsaKey::operator=(RsaKey&&) noexcept = default;
RsaKey::~RsaKey() = default;

util::Result<std::optional<RsaKey>> RsaKey::parse(std::string_view text, const std::string& passphrase) {
  Pkey key;
  if (text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string_view::npos) {
    key = parse_openssh(text);
  } else if (text.find("-----BEGIN RSA PRIVATE KEY-----") != std::string_view::npos ||
             text.find("PRIVATE KEY-----") != std::string_view::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
                                                  &BIO_free);
    std::string phrase = passphrase;
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, &phrase));
    if (!key && text.find("ENCRYPTED") != std::string_view::npos) {
      return util::fail(util::ErrorKind::auth, "the private key does not decrypt with SSH_IDENTITY_PASSPHRASE");
    }
  }
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return std::optional<RsaKey>();
  }
  auto state = std::make_unique<State>();
  state->key = std::move(key);
  return std::optional<RsaKey>(RsaKey(std::move(state)));
}

std::vector<unsigned char> RsaKey::public_blob(std::string_view algorithm) const {
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(m_state->key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(m_state->key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
  Bn nn(n), ee(e);
  std::vector<unsigned char> out;
  put_string(out, {reinterpret_cast<const unsigned char*>(algorithm.data()), algorithm.size()});
  put_mpint(out, ee.get());
  put_mpint(out, nn.get());
  return out;
}

util::Result<std::vector<unsigned char>> RsaKey::sign_sha512(std::span<const unsigned char> data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha512(), nullptr, m_state->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data.data(), data.size()) != 1) {
    return util::fail(util::ErrorKind::permanent, "SSH: signing with the RSA key failed");
  }
  std::vector<unsigned char> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, data.data(), data.size()) != 1) {
    return util::fail(util::ErrorKind::permanent, "SSH: signing with the RSA key failed");
  }
  signature.resize(length);
  return signature;
}

}  // namespace volback::storage::sftp
