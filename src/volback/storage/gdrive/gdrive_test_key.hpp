#pragma once
// Test helper (unit tests of storage/gdrive only): a fresh RSA key in PEM and a service
// account key file around it.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace volback::storage::gdrive::testkey {

struct TestKeyPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// One 2048-bit key per test binary.
inline const TestKeyPair& test_key_pair() {
  static const TestKeyPair pair = [] {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_PUBKEY(pub.get(), key.get());
    return TestKeyPair{bio_text(priv.get()), bio_text(pub.get())};
  }();
  return pair;
}

inline std::string service_account_json(const std::string& email = "backup@project.iam.gserviceaccount.com") {
  return nlohmann::json{{"type", "service_account"}, {"project_id", "project"},
                        {"private_key_id", "kid1"},  {"private_key", test_key_pair().private_pem},
                        {"client_email", email},     {"token_uri", "https://oauth2.googleapis.com/token"}}
    .dump();
}

}  // namespace volback::storage::gdrive::testkey
