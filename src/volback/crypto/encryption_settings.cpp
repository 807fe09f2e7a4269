#include <volback/crypto/encryption_settings.hpp>

#include <array>
#include <map>

#include <fmt/format.h>

#include <volback/crypto/age_scrypt.hpp>
#include <volback/crypto/age_stream.hpp>

namespace volback::crypto {

namespace {

constexpr std::array k_encryption_specs{k_gpg_passphrase, k_gpg_public_key_ring, k_age_passphrase, k_age_public_keys};

util::Error invalid(std::string message) {
  return util::Error(util::ErrorKind::invalid_argument, std::move(message));
}

util::Result<AgeRecipients> parse_age_public_keys(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto items, settings.get_list(k_age_public_keys));
  if (items.empty()) {
    return util::fail(invalid("AGE_PUBLIC_KEYS holds no recipient"));
  }
  AgeRecipients recipients;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto recipient = parse_age_recipient(items[i]);
    if (!recipient) {
      return util::fail(invalid(fmt::format("invalid AGE_PUBLIC_KEYS: recipient {} of {} ({}) is not valid: {}", i + 1,
                                            items.size(), age_recipient_kind(items[i]), recipient.error().message())));
    }
    recipients.push_back(std::move(*recipient));
  }
  return recipients;
}

}  // namespace

std::span<const util::SettingSpec> encryption_setting_specs() {
  return k_encryption_specs;
}

std::string_view EncryptionSettings::extension() const {
  switch (method) {
  case EncryptionMethod::none: return "";
  case EncryptionMethod::gpg_passphrase:
  case EncryptionMethod::gpg_public_keys: return "gpg";
  case EncryptionMethod::age_passphrase:
  case EncryptionMethod::age_public_keys: return "age";
  }
  return "";
}

std::string_view EncryptionSettings::content_type() const {
  switch (method) {
  case EncryptionMethod::none: return "";
  case EncryptionMethod::gpg_passphrase:
  case EncryptionMethod::gpg_public_keys: return "application/pgp-encrypted";
  case EncryptionMethod::age_passphrase:
  case EncryptionMethod::age_public_keys: return "application/octet-stream";
  }
  return "";
}

std::string EncryptionSettings::describe() const {
  switch (method) {
  case EncryptionMethod::none: return "none";
  case EncryptionMethod::gpg_passphrase: return "gpg with a passphrase";
  case EncryptionMethod::gpg_public_keys: {
    std::vector<std::string> keys;
    for (const auto& key : gpg->recipients) {
      keys.push_back(fmt::format("{} {}", key.describe(), format_key_id(key.key_id)));
    }
    return fmt::format("gpg to {} key{} ({})", keys.size(), keys.size() == 1 ? "" : "s", fmt::join(keys, ", "));
  }
  case EncryptionMethod::age_passphrase: return "age with a passphrase";
  case EncryptionMethod::age_public_keys: {
    std::map<std::string_view, int> counts;
    for (const auto& recipient : age) {
      ++counts[recipient->type()];
    }
    std::vector<std::string> parts;
    for (const auto& [type, count] : counts) {
      parts.push_back(fmt::format("{} {}", count, type));
    }
    return fmt::format("age to {} recipient{} ({})", age.size(), age.size() == 1 ? "" : "s", fmt::join(parts, ", "));
  }
  }
  return "none";
}

util::Result<EncryptionSettings> parse_encryption_settings(const util::Settings& settings) {
  std::vector<std::string_view> set;
  for (const auto& spec : k_encryption_specs) {
    if (settings.is_set(spec.name)) {
      set.push_back(spec.name);
    }
  }
  if (set.size() > 1) {
    return util::fail(
      invalid(fmt::format("set at most one encryption method of GPG_PASSPHRASE, GPG_PUBLIC_KEY_RING, "
                          "AGE_PASSPHRASE and AGE_PUBLIC_KEYS, not both {} and {}",
                          set[0], set[1])));
  }
  EncryptionSettings out;
  if (set.empty()) {
    return out;
  }
  if (set[0] == k_gpg_passphrase.name) {
    VOLBACK_TRY_ASSIGN(const auto passphrase, settings.get_string(k_gpg_passphrase));
    PgpEncryption gpg;
    gpg.passphrase = SecretBytes(std::string_view(passphrase));
    out.method = EncryptionMethod::gpg_passphrase;
    out.gpg = std::make_shared<const PgpEncryption>(std::move(gpg));
  } else if (set[0] == k_gpg_public_key_ring.name) {
    VOLBACK_TRY_ASSIGN(const auto ring, settings.get_string(k_gpg_public_key_ring));
    auto keys = parse_pgp_public_key_ring(ring);
    if (!keys) {
      return util::fail(invalid(fmt::format("invalid GPG_PUBLIC_KEY_RING: {}", keys.error().message())));
    }
    PgpEncryption gpg;
    gpg.recipients = std::move(*keys);
    out.method = EncryptionMethod::gpg_public_keys;
    out.gpg = std::make_shared<const PgpEncryption>(std::move(gpg));
  } else if (set[0] == k_age_passphrase.name) {
    VOLBACK_TRY_ASSIGN(const auto passphrase, settings.get_string(k_age_passphrase));
    out.method = EncryptionMethod::age_passphrase;
    out.age = {make_age_scrypt_recipient(passphrase)};
  } else {
    VOLBACK_TRY_ASSIGN(out.age, parse_age_public_keys(settings));
    out.method = EncryptionMethod::age_public_keys;
  }
  return out;
}

std::unique_ptr<io::Sink> make_encryptor(const EncryptionSettings& encryption, io::Sink& next) {
  switch (encryption.method) {
  case EncryptionMethod::none: return nullptr;
  case EncryptionMethod::gpg_passphrase:
  case EncryptionMethod::gpg_public_keys: return make_pgp_encryptor(*encryption.gpg, next);
  case EncryptionMethod::age_passphrase:
  case EncryptionMethod::age_public_keys: return make_age_encryptor(encryption.age, next);
  }
  return nullptr;
}

}  // namespace volback::crypto
