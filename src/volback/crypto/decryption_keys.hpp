#pragma once
// What decrypts a backup for verify and restore: the passphrases of the passphrase
// methods (GPG_PASSPHRASE, AGE_PASSPHRASE, declared with the encryption settings) and the
// private side of the public-key methods:
//   AGE_IDENTITY (usually AGE_IDENTITY_FILE): an age identity file (AGE-SECRET-KEY-1...
//     lines, or such a file encrypted with age -p) or an SSH private key (ed25519 or RSA,
//     OpenSSH or PEM), with AGE_IDENTITY_PASSPHRASE when it is protected;
//   GPG_SECRET_KEY_RING (usually GPG_SECRET_KEY_RING_FILE): an OpenPGP secret key ring
//     (gpg --export-secret-keys, armored or binary), with GPG_SECRET_KEY_PASSPHRASE when
//     its keys are protected;
// and the --identity FILE of the commands, which is either (recognised by its content)
// and wins over the variable of its kind.
//
// Loading checks the form of every key (invalid_argument naming the variable, exit 2);
// passphrase-protected keys are unlocked only when a backup needs them, so that a wrong
// passphrase is a failure to decrypt (auth, exit 1), found before anything is written.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/pgp_keys.hpp>
#include <volback/crypto/pgp_stream.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::crypto {

inline constexpr util::SettingSpec k_age_identity{
  "AGE_IDENTITY", "", util::Secret::yes,
  "For verify and restore of age backups (usually AGE_IDENTITY_FILE=path): an age identity file, plain or "
  "encrypted with age -p, or an SSH private key."};
inline constexpr util::SettingSpec k_age_identity_passphrase{
  "AGE_IDENTITY_PASSPHRASE", "", util::Secret::yes,
  "The passphrase of AGE_IDENTITY_FILE when it is encrypted (age -p) or a protected SSH key."};
inline constexpr util::SettingSpec k_gpg_secret_key_ring{
  "GPG_SECRET_KEY_RING", "", util::Secret::yes,
  "For verify and restore of gpg backups made with GPG_PUBLIC_KEY_RING (usually GPG_SECRET_KEY_RING_FILE=path): "
  "the secret keys, as gpg --export-secret-keys writes them."};
inline constexpr util::SettingSpec k_gpg_secret_key_passphrase{
  "GPG_SECRET_KEY_PASSPHRASE", "", util::Secret::yes, "The passphrase of the keys in GPG_SECRET_KEY_RING_FILE."};

// The settings above, for print-config and --help.
std::span<const util::SettingSpec> decryption_setting_specs();

class DecryptionKeys {
 public:
  // Errors: invalid_argument naming the variable (or "--identity FILE") for a key that is
  // malformed; what Settings or reading the file returns.
  static util::Result<DecryptionKeys> load(const util::Settings& settings,
                                           const std::optional<std::string>& identity_file);
  // No key at all: plain backups read, encrypted ones fail with auth.
  static const DecryptionKeys& none();

  // The identities for an age backup: AGE_PASSPHRASE's, then the identity file's,
  // unlocked now. Errors: auth when the identity file's passphrase is missing or wrong.
  util::Result<AgeIdentities> age_identities() const;
  // The keys for an OpenPGP backup (secret keys are unlocked by the reader).
  const PgpDecryptionKeys& pgp() const { return m_pgp; }

  // Where the age identity and the secret key ring came from ("AGE_IDENTITY_FILE",
  // "--identity FILE"), empty when not given: for messages.
  const std::string& age_identity_origin() const { return m_age_origin; }
  const std::string& gpg_secret_origin() const { return m_gpg_origin; }
  bool has_age_passphrase() const { return m_age_passphrase.has_value(); }

 private:
  std::optional<SecretBytes> m_age_passphrase;
  std::optional<SecretBytes> m_age_identity;  // the text, when it must be unlocked
  AgeIdentities m_age_identities;             // parsed already (not protected)
  std::optional<SecretBytes> m_age_identity_passphrase;
  std::string m_age_origin;
  PgpDecryptionKeys m_pgp;
  std::string m_gpg_origin;
};

}  // namespace volback::crypto
