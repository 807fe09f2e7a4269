#pragma once
// age's recipients (who a file is encrypted to) and identities (what decrypts it), one
// class per stanza type in age_x25519, age_scrypt and age_ssh, and the parsers of the
// texts users give: a recipient ("age1…", "ssh-ed25519 …", "ssh-rsa …") and an identity
// file (AGE-SECRET-KEY-1… lines, an age-encrypted identity file, or an SSH private key).
//
// Recipients and identities are immutable once made and thread-safe. Errors never quote
// a key: invalid_argument says which kind of key and what is wrong with it.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/crypto/age_header.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

inline constexpr std::size_t k_age_file_key_size = 16;

class AgeRecipient {
 public:
  virtual ~AgeRecipient() = default;
  // The stanza that carries `file_key` to this recipient. Errors: permanent (randomness,
  // OpenSSL).
  virtual util::Result<AgeStanza> wrap(const SecretBytes& file_key) const = 0;
  // "X25519", "scrypt", "ssh-ed25519" or "ssh-rsa".
  virtual std::string_view type() const = 0;
};

class AgeIdentity {
 public:
  virtual ~AgeIdentity() = default;
  // The file key from the first of `stanzas` this identity opens; nullopt when none is
  // for it. Errors: corrupt for a stanza of this identity's type that is malformed (the
  // specification's "header failure"), permanent from the libraries.
  virtual util::Result<std::optional<SecretBytes>> unwrap(std::span<const AgeStanza> stanzas) const = 0;
  // "X25519", "scrypt", "ssh-ed25519" or "ssh-rsa", for messages.
  virtual std::string_view type() const = 0;
};

using AgeRecipients = std::vector<std::shared_ptr<const AgeRecipient>>;
using AgeIdentities = std::vector<std::shared_ptr<const AgeIdentity>>;

// One recipient of AGE_PUBLIC_KEYS: "age1…" (X25519), "ssh-ed25519 BASE64 [comment]" or
// "ssh-rsa BASE64 [comment]" (at least 2048 bits).
util::Result<std::shared_ptr<const AgeRecipient>> parse_age_recipient(std::string_view text);

// The kind of recipient `text` claims to be, for messages: "X25519", "ssh-ed25519",
// "ssh-rsa" or "unknown".
std::string_view age_recipient_kind(std::string_view text);

// The identities in an identity file's text: lines of AGE-SECRET-KEY-1… (empty lines and
// lines starting with '#' skipped), or an age file (binary or armored) encrypted with a
// passphrase that holds such lines, or one SSH private key (OpenSSH or PEM format).
// `passphrase` unlocks an encrypted file or key. Errors: invalid_argument when the text
// is none of these or a key in it is malformed (naming its line); auth when a passphrase
// is needed and missing, or wrong.
util::Result<AgeIdentities> parse_age_identities(std::string_view text, std::optional<std::string_view> passphrase);

// What kind of identity text this is, for messages: "age identity file",
// "passphrase-protected age identity file", "SSH private key" or "unknown".
std::string_view age_identity_kind(std::string_view text);

}  // namespace volback::crypto
