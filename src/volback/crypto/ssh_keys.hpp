#pragma once
// SSH keys as age uses them for its ssh-ed25519 and ssh-rsa recipients: public keys in
// the authorized_keys form ("ssh-ed25519 AAAA… comment"), and private keys in OpenSSH's
// format ("-----BEGIN OPENSSH PRIVATE KEY-----", unencrypted or protected by a passphrase
// with bcrypt_pbkdf and AES in CTR, CBC or GCM mode) or, for RSA, in PEM. Pure and
// thread-safe.
//
// Errors never quote the key: invalid_argument says what is wrong with it; auth when a
// passphrase is needed and missing, or wrong.

#include <optional>
#include <string>
#include <string_view>

#include <volback/crypto/primitives.hpp>
#include <volback/crypto/rsa.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

enum class SshKeyType { ed25519, rsa };

// "ssh-ed25519" or "ssh-rsa".
std::string_view to_string(SshKeyType type);

struct SshPublicKey {
  SshKeyType type = SshKeyType::ed25519;
  std::string wire;  // the key in the SSH wire encoding
  Bytes32 ed25519{};
  std::optional<RsaKey> rsa;
};

// "TYPE BASE64 [comment]" with TYPE ssh-ed25519 or ssh-rsa; an RSA key must have at least
// 2048 bits (as age requires).
util::Result<SshPublicKey> parse_ssh_public_key(std::string_view line);

struct SshPrivateKey {
  SshKeyType type = SshKeyType::ed25519;
  std::string public_wire;  // the public key in the SSH wire encoding
  SecretBytes ed25519;      // the 64-byte secret key: 32-byte seed then public key
  std::optional<RsaKey> rsa;
};

// Whether `text` starts (after white space) as a private key in a format read here.
bool is_ssh_private_key(std::string_view text);

util::Result<SshPrivateKey> parse_ssh_private_key(std::string_view text, std::optional<std::string_view> passphrase);

// The SSH wire encoding of an RSA public key: "ssh-rsa", e, n.
std::string ssh_rsa_wire(const RsaKey& key);

}  // namespace volback::crypto
