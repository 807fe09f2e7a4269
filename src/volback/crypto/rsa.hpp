#pragma once
// RSA keys on OpenSSL 3 (EVP_PKEY), for age's ssh-rsa recipients (RSA-OAEP with SHA-256)
// and OpenPGP's RSA recipients (PKCS #1 v1.5). A key is immutable once made; copies share
// it, and every operation is thread-safe.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

class RsaKey {
 public:
  // Numbers are unsigned big-endian byte strings. Errors: invalid_argument when OpenSSL
  // refuses them (zero, even modulus, inconsistent factors).
  static util::Result<RsaKey> from_public(std::string_view n, std::string_view e);
  static util::Result<RsaKey> from_private(std::string_view n, std::string_view e, std::string_view d,
                                           std::string_view p, std::string_view q);
  // A PEM private key OpenSSL reads ("RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE
  // KEY"), with its passphrase when it has one. Errors: invalid_argument when it is not an
  // RSA key in PEM; auth when the passphrase is missing or wrong.
  static util::Result<RsaKey> from_pem(std::string_view pem, std::optional<std::string_view> passphrase);

  std::size_t bits() const;
  std::string n() const;
  std::string e() const;

  // RSAES-OAEP with SHA-256 and MGF1-SHA-256 and `label` (age's ssh-rsa).
  util::Result<std::string> encrypt_oaep_sha256(std::string_view plaintext, std::string_view label) const;
  // Errors: corrupt when the ciphertext does not decrypt (the wrong key, or damage).
  util::Result<SecretBytes> decrypt_oaep_sha256(std::string_view ciphertext, std::string_view label) const;
  // RSAES-PKCS1-v1_5 (OpenPGP). The output has the modulus' length (leading zeros kept).
  util::Result<std::string> encrypt_pkcs1(std::string_view plaintext) const;
  util::Result<SecretBytes> decrypt_pkcs1(std::string_view ciphertext) const;

 private:
  explicit RsaKey(std::shared_ptr<void> key) : m_key(std::move(key)) {}
  std::shared_ptr<void> m_key;  // EVP_PKEY
};

}  // namespace volback::crypto
