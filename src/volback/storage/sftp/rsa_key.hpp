#pragma once
// RSA private keys for SSH logins with SHA-2 signatures (RFC 8332), which the libssh2 of
// Debian 12 (1.10) cannot make: it signs RSA keys with SHA-1 ("ssh-rsa"), and OpenSSH
// refuses that by default since 8.8. volback reads the key itself (OpenSSL) and signs
// with rsa-sha2-512 through libssh2's callback login (internal to storage/sftp).

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage::sftp {

class RsaKey {
 public:
  // The RSA key in `text`: PEM (PKCS#1 or PKCS#8, encrypted with `passphrase` or not) or
  // OpenSSH's own format when unencrypted. nullopt when `text` holds another kind of key
  // (or an encrypted OpenSSH key), which libssh2 then reads. Errors: auth for a PEM key
  // that does not decrypt.
  static util::Result<std::optional<RsaKey>> parse(std::string_view text, const std::string& passphrase);

  RsaKey(RsaKey&&) noexcept;
  RsaKey& operator=(RsaKey&&) noexcept;
  ~RsaKey();

  // The public key blob naming `algorithm` ("rsa-sha2-512"), then e and n.
  std::vector<unsigned char> public_blob(std::string_view algorithm) const;
  // The RSASSA-PKCS1-v1_5 signature of `data` with SHA-512. Errors: permanent.
  util::Result<std::vector<unsigned char>> sign_sha512(std::span<const unsigned char> data) const;

 private:
  struct State;
  explicit RsaKey(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

}  // namespace volback::storage::sftp
