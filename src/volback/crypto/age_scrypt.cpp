#include <volback/crypto/age_scrypt.hpp>

#include <fmt/format.h>

#include <volback/crypto/primitives.hpp>
#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_scrypt_type = "scrypt";
constexpr std::string_view k_scrypt_label = "age-encryption.org/v1/scrypt";
constexpr std::size_t k_salt_size = 16;
constexpr std::size_t k_scrypt_wrapped_size = k_age_file_key_size + ChaCha20Poly1305::k_tag_size;

util::Result<SecretBytes> wrapping_key(std::string_view passphrase, std::string_view salt, unsigned work_factor) {
  std::string full_salt(k_scrypt_label);
  full_salt += salt;
  return scrypt(passphrase, full_salt, work_factor, 32);
}

// A decimal work factor without sign or leading zeros.
std::optional<unsigned> parse_work_factor(std::string_view text) {
  if (text.empty() || text.size() > 2 || text[0] == '0') {
    return std::nullopt;
  }
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

class ScryptRecipient final : public AgeRecipient {
 public:
  ScryptRecipient(std::string_view passphrase, unsigned work_factor)
    : m_passphrase(passphrase), m_work_factor(work_factor) {}

  util::Result<AgeStanza> wrap(const SecretBytes& file_key) const override {
    std::string salt(k_salt_size, '\0');
    VOLBACK_TRY(random_bytes({reinterpret_cast<unsigned char*>(salt.data()), salt.size()}));
    VOLBACK_TRY_ASSIGN(const auto key, wrapping_key(m_passphrase.view(), salt, m_work_factor));
    VOLBACK_TRY_ASSIGN(auto body, seal_zero_nonce(key.span(), file_key.span()));
    return AgeStanza{std::string(k_scrypt_type),
                     {util::base64_encode(salt, util::Padding::no), std::to_string(m_work_factor)},
                     std::move(body)};
  }
  std::string_view type() const override { return k_scrypt_type; }

 private:
  SecretBytes m_passphrase;
  unsigned m_work_factor;
};

class ScryptIdentity final : public AgeIdentity {
 public:
  ScryptIdentity(std::string_view passphrase, unsigned max_work_factor)
    : m_passphrase(passphrase), m_max_work_factor(max_work_factor) {}

  util::Result<std::optional<SecretBytes>> unwrap(std::span<const AgeStanza> stanzas) const override {
    for (const auto& stanza : stanzas) {
      if (stanza.type != k_scrypt_type) {
        continue;
      }
      if (stanza.args.size() != 2) {
        return util::fail(util::ErrorKind::corrupt, "an scrypt stanza must have exactly two arguments");
      }
      const auto salt = util::base64_decode(stanza.args[0], util::Padding::no);
      if (!salt || salt->size() != k_salt_size) {
        return util::fail(util::ErrorKind::corrupt, "the salt of an scrypt stanza is not 16 bytes of canonical base64");
      }
      const auto work_factor = parse_work_factor(stanza.args[1]);
      if (!work_factor) {
        return util::fail(util::ErrorKind::corrupt, "the work factor of an scrypt stanza is not a decimal number");
      }
      if (*work_factor > m_max_work_factor) {
        return util::fail(util::ErrorKind::corrupt,
                          fmt::format("the scrypt work factor {} is larger than the {} volback accepts ({} MiB)",
                                      *work_factor, m_max_work_factor, (std::size_t{1024} << m_max_work_factor) >> 20));
      }
      if (stanza.body.size() != k_scrypt_wrapped_size) {
        return util::fail(util::ErrorKind::corrupt, "the body of an scrypt stanza is not 32 bytes");
      }
      VOLBACK_TRY_ASSIGN(const auto key, wrapping_key(m_passphrase.view(), *salt, *work_factor));
      VOLBACK_TRY_ASSIGN(auto file_key, unwrapped_or_none(open_zero_nonce(key.span(), as_uchars(stanza.body))));
      if (file_key) {
        return file_key;
      }
    }
    return std::optional<SecretBytes>{};
  }
  std::string_view type() const override { return k_scrypt_type; }

 private:
  SecretBytes m_passphrase;
  unsigned m_max_work_factor;
};

}  // namespace

std::shared_ptr<const AgeRecipient> make_age_scrypt_recipient(std::string_view passphrase, unsigned work_factor) {
  return std::make_shared<const ScryptRecipient>(passphrase, work_factor);
}

std::shared_ptr<const AgeIdentity> make_age_scrypt_identity(std::string_view passphrase, unsigned max_work_factor) {
  return std::make_shared<const ScryptIdentity>(passphrase, max_work_factor);
}

}  // namespace volback::crypto
