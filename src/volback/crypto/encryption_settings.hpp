#pragma once
// The encryption settings (offen's GPG_PASSPHRASE, GPG_PUBLIC_KEY_RING, AGE_PASSPHRASE and
// AGE_PUBLIC_KEYS, each also as NAME_FILE) and the stream filter they make.
//
// At most one may be set: two at once is a configuration error found when the settings
// are read, before anything runs (offen notices only after the archive was built). Every
// key is parsed then too: a malformed one is an error naming the variable and the key's
// position and type, never its content. The result is immutable and cheap to copy (the
// keys are shared), so the stream chain's stage can hold it.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/pgp_stream.hpp>
#include <volback/io/sink.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::crypto {

inline constexpr util::SettingSpec k_gpg_passphrase{
  "GPG_PASSPHRASE", "", util::Secret::yes,
  "Encrypt the archive with OpenPGP (AES-256) under this passphrase; the name gets .gpg. verify and restore "
  "decrypt with it."};
inline constexpr util::SettingSpec k_gpg_public_key_ring{
  "GPG_PUBLIC_KEY_RING", "", util::Secret::yes,
  "An armored OpenPGP public key ring (usually GPG_PUBLIC_KEY_RING_FILE): the archive is encrypted to every "
  "key in it (RSA or cv25519); the name gets .gpg. Shown as *** only for its length."};
inline constexpr util::SettingSpec k_age_passphrase{
  "AGE_PASSPHRASE", "", util::Secret::yes,
  "Encrypt the archive with age under this passphrase (scrypt); the name gets .age. verify and restore "
  "decrypt with it."};
inline constexpr util::SettingSpec k_age_public_keys{
  "AGE_PUBLIC_KEYS", "", util::Secret::no,
  "Comma-separated age recipients: age1... keys, ssh-ed25519 and ssh-rsa public keys; the archive is "
  "encrypted to each; the name gets .age."};

// The settings above, for print-config and --help.
std::span<const util::SettingSpec> encryption_setting_specs();

enum class EncryptionMethod { none, gpg_passphrase, gpg_public_keys, age_passphrase, age_public_keys };

struct EncryptionSettings {
  EncryptionMethod method = EncryptionMethod::none;
  std::shared_ptr<const PgpEncryption> gpg;  // the gpg methods
  AgeRecipients age;                         // the age methods

  // "gpg", "age", or empty without encryption: the extension the stage adds.
  std::string_view extension() const;
  // The archive's MIME type once encrypted: "application/pgp-encrypted" for OpenPGP,
  // "application/octet-stream" for age (which has none registered); empty without.
  std::string_view content_type() const;
  // For logs: "gpg with a passphrase", "age to 3 recipients (2 X25519, 1 ssh-ed25519)".
  std::string describe() const;
};

// Reads the four variables. Errors (invalid_argument): two or more set ("set at most one
// of ..., not both A and B"); a malformed key ("AGE_PUBLIC_KEYS: recipient 2 of 3
// (ssh-rsa) is not valid: the ssh-rsa key has 1024 bits; at least 2048 are needed");
// whatever Settings returns for an unreadable NAME_FILE.
util::Result<EncryptionSettings> parse_encryption_settings(const util::Settings& settings);

// The Sink filter of `encryption` in front of `next` (not owned; it must outlive the
// filter), as make_age_encryptor and make_pgp_encryptor describe; nullptr for none.
std::unique_ptr<io::Sink> make_encryptor(const EncryptionSettings& encryption, io::Sink& next);

}  // namespace volback::crypto
