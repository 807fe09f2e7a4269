#include <volback/crypto/decryption_keys.hpp>

#include <openssl/crypto.h>

#include <array>

#include <fmt/format.h>

#include <volback/crypto/age_scrypt.hpp>
#include <volback/crypto/encryption_settings.hpp>

namespace volback::crypto {

namespace {

constexpr std::array k_decryption_keys_specs{k_age_identity, k_age_identity_passphrase, k_gpg_secret_key_ring,
                                             k_gpg_secret_key_passphrase};

util::Result<std::optional<SecretBytes>> optional_secret(const util::Settings& settings,
                                                         const util::SettingSpec& spec) {
  VOLBACK_TRY_ASSIGN(auto value, settings.get_optional(spec));
  if (!value || value->empty()) {
    return std::optional<SecretBytes>{};
  }
  std::optional<SecretBytes> out{SecretBytes(std::string_view(*value))};
  OPENSSL_cleanse(value->data(), value->size());
  return out;
}

// Where a setting's value came from, for messages: NAME or NAME_FILE.
std::string origin_of(const util::Settings& settings, const util::SettingSpec& spec) {
  auto resolved = settings.lookup(spec);
  if (resolved && *resolved &&
      ((*resolved)->origin == util::Origin::environment_file || (*resolved)->origin == util::Origin::confd_file)) {
    return fmt::format("{}_FILE", spec.name);
  }
  return std::string(spec.name);
}

}  // namespace

std::span<const util::SettingSpec> decryption_setting_specs() {
  return k_decryption_keys_specs;
}

util::Result<DecryptionKeys> DecryptionKeys::load(const util::Settings& settings,
                                                  const std::optional<std::string>& identity_file) {
  DecryptionKeys keys;
  VOLBACK_TRY_ASSIGN(keys.m_pgp.passphrase, optional_secret(settings, k_gpg_passphrase));
  VOLBACK_TRY_ASSIGN(keys.m_age_passphrase, optional_secret(settings, k_age_passphrase));
  VOLBACK_TRY_ASSIGN(keys.m_age_identity_passphrase, optional_secret(settings, k_age_identity_passphrase));
  VOLBACK_TRY_ASSIGN(keys.m_pgp.secret_key_passphrase, optional_secret(settings, k_gpg_secret_key_passphrase));

  std::optional<SecretBytes> age_text;
  std::optional<SecretBytes> gpg_text;
  VOLBACK_TRY_ASSIGN(age_text, optional_secret(settings, k_age_identity));
  if (age_text) {
    keys.m_age_origin = origin_of(settings, k_age_identity);
  }
  VOLBACK_TRY_ASSIGN(gpg_text, optional_secret(settings, k_gpg_secret_key_ring));
  if (gpg_text) {
    keys.m_gpg_origin = origin_of(settings, k_gpg_secret_key_ring);
  }
  if (identity_file) {
    auto text = util::read_whole_file(*identity_file);
    if (!text) {
      return util::fail(text.error().with_context(fmt::format("--identity {}", *identity_file)));
    }
    const std::string origin = fmt::format("--identity {}", *identity_file);
    if (looks_like_pgp_key_ring(*text)) {
      gpg_text = SecretBytes(std::string_view(*text));
      keys.m_gpg_origin = origin;
    } else {
      age_text = SecretBytes(std::string_view(*text));
      keys.m_age_origin = origin;
    }
    OPENSSL_cleanse(text->data(), text->size());
  }

  if (gpg_text) {
    auto ring = parse_pgp_secret_key_ring(gpg_text->view());
    if (!ring) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("invalid {}: {}", keys.m_gpg_origin, ring.error().message()));
    }
    keys.m_pgp.secret_keys = std::move(*ring);
  }
  if (age_text) {
    // Parsed now when it needs no passphrase; a protected one is only checked for its kind
    // here and unlocked when an age backup is read.
    auto identities = parse_age_identities(age_text->view(), std::nullopt);
    if (identities) {
      keys.m_age_identities = std::move(*identities);
    } else if (identities.error().kind() == util::ErrorKind::auth) {
      keys.m_age_identity = std::move(age_text);
    } else {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("invalid {} ({}): {}", keys.m_age_origin, age_identity_kind(age_text->view()),
                                    identities.error().message()));
    }
  }
  return keys;
}

const DecryptionKeys& DecryptionKeys::none() {
  static const DecryptionKeys k_none;
  return k_none;
}

util::Result<AgeIdentities> DecryptionKeys::age_identities() const {
  AgeIdentities out;
  if (m_age_passphrase) {
    out.push_back(make_age_scrypt_identity(m_age_passphrase->view()));
  }
  out.insert(out.end(), m_age_identities.begin(), m_age_identities.end());
  if (m_age_identity) {
    const auto passphrase =
      m_age_identity_passphrase ? std::optional<std::string_view>(m_age_identity_passphrase->view()) : std::nullopt;
    auto unlocked = parse_age_identities(m_age_identity->view(), passphrase);
    if (!unlocked) {
      if (unlocked.error().kind() == util::ErrorKind::auth) {
        return util::fail(
          util::ErrorKind::auth,
          fmt::format("{} ({}): {}{}", m_age_origin, age_identity_kind(m_age_identity->view()),
                      unlocked.error().message(), m_age_identity_passphrase ? "" : "; set AGE_IDENTITY_PASSPHRASE"));
      }
      return util::fail(unlocked.error().with_context(m_age_origin));
    }
    out.insert(out.end(), unlocked->begin(), unlocked->end());
  }
  return out;
}

}  // namespace volback::crypto
