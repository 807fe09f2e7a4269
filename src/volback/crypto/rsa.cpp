#include <volback/crypto/rsa.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>

namespace volback::crypto {

namespace {

EVP_PKEY* pkey(const std::shared_ptr<void>& key) {
  return static_cast<EVP_PKEY*>(key.get());
}

std::shared_ptr<void> own(EVP_PKEY* key) {
  return {key, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); }};
}

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;

Bn bn(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

util::Error invalid_key() {
  ERR_clear_error();
  return util::Error(util::ErrorKind::invalid_argument, "not a valid RSA key");
}

// An RSA EVP_PKEY from the parameters in `bld`, checked.
util::Result<std::shared_ptr<void>> from_params(OSSL_PARAM_BLD* bld, int selection) {
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld), &OSSL_PARAM_free);
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1) {
    return util::fail(invalid_key());
  }
  auto owned = own(key);
  // fromdata checks little; the public check refuses a zero, even or tiny modulus.
  CtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return util::fail(invalid_key());
  }
  return owned;
}

util::Result<std::string> run(EVP_PKEY* key, bool encrypt, int padding, std::string_view label, std::string_view in) {
  CtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
  if (!ctx || (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) != 1) {
    return util::fail(util::ErrorKind::permanent, "RSA setup failed in OpenSSL");
  }
  if (padding == RSA_PKCS1_OAEP_PADDING) {
    if (EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) != 1) {
      return util::fail(util::ErrorKind::permanent, "RSA-OAEP setup failed in OpenSSL");
    }
    if (!label.empty()) {
      auto* copy = static_cast<unsigned char*>(OPENSSL_malloc(label.size()));
      if (copy == nullptr) {
        return util::fail(util::ErrorKind::permanent, "out of memory");
      }
      std::memcpy(copy, label.data(), label.size());
      if (EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), copy, static_cast<int>(label.size())) != 1) {
        OPENSSL_free(copy);
        return util::fail(util::ErrorKind::permanent, "RSA-OAEP setup failed in OpenSSL");
      }
    }
  }
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  const auto op = [&](unsigned char* out, std::size_t* len) {
    return encrypt ? EVP_PKEY_encrypt(ctx.get(), out, len, data, in.size())
                   : EVP_PKEY_decrypt(ctx.get(), out, len, data, in.size());
  };
  std::size_t out_len = 0;
  if (op(nullptr, &out_len) != 1) {
    return util::fail(util::ErrorKind::permanent, "RSA failed in OpenSSL");
  }
  std::string out(out_len, '\0');
  if (op(reinterpret_cast<unsigned char*>(out.data()), &out_len) != 1) {
    ERR_clear_error();
    OPENSSL_cleanse(out.data(), out.size());
    if (!encrypt) {
      return util::fail(util::ErrorKind::corrupt, "RSA decryption failed (the wrong key, or damaged data)");
    }
    return util::fail(util::ErrorKind::invalid_argument, "RSA encryption failed (the data is too long for the key)");
  }
  out.resize(out_len);
  return out;
}

util::Result<SecretBytes> run_secret(EVP_PKEY* key, int padding, std::string_view label, std::string_view in) {
  VOLBACK_TRY_ASSIGN(auto plain, run(key, false, padding, label, in));
  SecretBytes out(plain);
  OPENSSL_cleanse(plain.data(), plain.size());
  return out;
}

std::string get_bn(EVP_PKEY* key, const char* name) {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &n) != 1) {
    return {};
  }
  std::string out(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(n);
  return out;
}

}  // namespace

util::Result<RsaKey> RsaKey::from_public(std::string_view n, std::string_view e) {
  auto bn_n = bn(n);
  auto bn_e = bn(e);
  BldPtr bld(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
  if (!bn_n || !bn_e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return util::fail(invalid_key());
  }
  VOLBACK_TRY_ASSIGN(auto key, from_params(bld.get(), EVP_PKEY_PUBLIC_KEY));
  return RsaKey(std::move(key));
}

util::Result<RsaKey> RsaKey::from_private(std::string_view n, std::string_view e, std::string_view d,
                                          std::string_view p, std::string_view q) {
  auto bn_n = bn(n);
  auto bn_e = bn(e);
  auto bn_d = bn(d);
  auto bn_p = bn(p);
  auto bn_q = bn(q);
  Bn dp(BN_secure_new());
  Bn dq(BN_secure_new());
  Bn qinv(BN_secure_new());
  Bn p1(BN_secure_new());
  Bn q1(BN_secure_new());
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_secure_new(), &BN_CTX_free);
  if (!bn_n || !bn_e || !bn_d || !bn_p || !bn_q || !dp || !dq || !qinv || !p1 || !q1 || !ctx ||
      BN_is_zero(bn_p.get()) || BN_is_zero(bn_q.get())) {
    return util::fail(invalid_key());
  }
  // OpenSSL wants the CRT values too: d mod (p-1), d mod (q-1), q^-1 mod p.
  if (BN_sub(p1.get(), bn_p.get(), BN_value_one()) != 1 || BN_sub(q1.get(), bn_q.get(), BN_value_one()) != 1 ||
      BN_mod(dp.get(), bn_d.get(), p1.get(), ctx.get()) != 1 ||
      BN_mod(dq.get(), bn_d.get(), q1.get(), ctx.get()) != 1 ||
      BN_mod_inverse(qinv.get(), bn_q.get(), bn_p.get(), ctx.get()) == nullptr) {
    return util::fail(invalid_key());
  }
  BldPtr bld(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, bn_d.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, bn_p.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, bn_q.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get()) != 1) {
    return util::fail(invalid_key());
  }
  VOLBACK_TRY_ASSIGN(auto key, from_params(bld.get(), EVP_PKEY_KEYPAIR));
  return RsaKey(std::move(key));
}

util::Result<RsaKey> RsaKey::from_pem(std::string_view pem, std::optional<std::string_view> passphrase) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  struct Pass {
    std::optional<std::string_view> text;
    bool asked = false;
  } pass{passphrase};
  const auto callback = [](char* buf, int size, int, void* user) -> int {
    auto* p = static_cast<Pass*>(user);
    p->asked = true;
    if (!p->text || p->text->size() > static_cast<std::size_t>(size)) {
      return -1;
    }
    std::memcpy(buf, p->text->data(), p->text->size());
    return static_cast<int>(p->text->size());
  };
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, callback, &pass) : nullptr;
  ERR_clear_error();
  if (key == nullptr) {
    if (pass.asked) {
      return util::fail(util::ErrorKind::auth, passphrase ? "the passphrase of the private key is wrong"
                                                          : "the private key is protected by a passphrase");
    }
    return util::fail(util::ErrorKind::invalid_argument, "not a PEM private key");
  }
  auto owned = own(key);
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return util::fail(util::ErrorKind::invalid_argument, "the PEM private key is not an RSA key");
  }
  return RsaKey(std::move(owned));
}

std::size_t RsaKey::bits() const {
  return static_cast<std::size_t>(EVP_PKEY_get_bits(pkey(m_key)));
}

std::string RsaKey::n() const {
  return get_bn(pkey(m_key), OSSL_PKEY_PARAM_RSA_N);
}

std::string RsaKey::e() const {
  return get_bn(pkey(m_key), OSSL_PKEY_PARAM_RSA_E);
}

util::Result<std::string> RsaKey::encrypt_oaep_sha256(std::string_view plaintext, std::string_view label) const {
  return run(pkey(m_key), true, RSA_PKCS1_OAEP_PADDING, label, plaintext);
}

util::Result<SecretBytes> RsaKey::decrypt_oaep_sha256(std::string_view ciphertext, std::string_view label) const {
  return run_secret(pkey(m_key), RSA_PKCS1_OAEP_PADDING, label, ciphertext);
}

util::Result<std::string> RsaKey::encrypt_pkcs1(std::string_view plaintext) const {
  return run(pkey(m_key), true, RSA_PKCS1_PADDING, "", plaintext);
}

util::Result<SecretBytes> RsaKey::decrypt_pkcs1(std::string_view ciphertext) const {
  // OpenPGP's MPI drops leading zeros; RSA wants the modulus' length.
  const std::size_t size = (bits() + 7) / 8;
  std::string padded;
  if (ciphertext.size() < size) {
    padded.assign(size - ciphertext.size(), '\0');
    padded += ciphertext;
    ciphertext = padded;
  }
  return run_secret(pkey(m_key), RSA_PKCS1_PADDING, "", ciphertext);
}

}  // namespace volback::crypto
