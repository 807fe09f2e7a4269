#include <volback/crypto/age_x25519.hpp>

#include <fmt/format.h>

#include <volback/crypto/bech32.hpp>
#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_x25519_type = "X25519";
constexpr std::string_view k_x25519_label = "age-encryption.org/v1/X25519";
constexpr std::size_t k_x25519_wrapped_size = k_age_file_key_size + ChaCha20Poly1305::k_tag_size;

util::Result<SecretBytes> wrapping_key(const Bytes32& shared, const Bytes32& share, const Bytes32& recipient) {
  std::string salt(as_chars(share));
  salt += as_chars(recipient);
  return hkdf_sha256(shared, salt, k_x25519_label, 32);
}

class X25519Recipient final : public AgeRecipient {
 public:
  explicit X25519Recipient(const Bytes32& point) : m_point(point) {}

  util::Result<AgeStanza> wrap(const SecretBytes& file_key) const override {
    SecretBytes ephemeral(32);
    VOLBACK_TRY(random_bytes(ephemeral.span()));
    const Bytes32 share = x25519_base(ephemeral.span());
    VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(ephemeral.span(), m_point));
    VOLBACK_TRY_ASSIGN(const auto key, wrapping_key(shared, share, m_point));
    VOLBACK_TRY_ASSIGN(auto body, seal_zero_nonce(key.span(), file_key.span()));
    return AgeStanza{
      std::string(k_x25519_type), {util::base64_encode(as_chars(share), util::Padding::no)}, std::move(body)};
  }
  std::string_view type() const override { return k_x25519_type; }

 private:
  Bytes32 m_point;
};

class X25519Identity final : public AgeIdentity {
 public:
  explicit X25519Identity(SecretBytes scalar) : m_scalar(std::move(scalar)), m_point(x25519_base(m_scalar.span())) {}

  util::Result<std::optional<SecretBytes>> unwrap(std::span<const AgeStanza> stanzas) const override {
    for (const auto& stanza : stanzas) {
      if (stanza.type != k_x25519_type) {
        continue;
      }
      if (stanza.args.size() != 1) {
        return util::fail(util::ErrorKind::corrupt, "an X25519 stanza must have exactly one argument");
      }
      VOLBACK_TRY_ASSIGN(const Bytes32 share, decode_age_share(stanza.args[0], k_x25519_type));
      if (stanza.body.size() != k_x25519_wrapped_size) {
        return util::fail(util::ErrorKind::corrupt, "the body of an X25519 stanza is not 32 bytes");
      }
      VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(m_scalar.span(), share).map_error([](util::Error) {
        return util::Error(util::ErrorKind::corrupt, "an X25519 stanza's share is a low-order point");
      }));
      VOLBACK_TRY_ASSIGN(const auto key, wrapping_key(shared, share, m_point));
      VOLBACK_TRY_ASSIGN(auto file_key, unwrapped_or_none(open_zero_nonce(key.span(), as_uchars(stanza.body))));
      if (file_key) {
        return file_key;
      }
    }
    return std::optional<SecretBytes>{};
  }
  std::string_view type() const override { return k_x25519_type; }

 private:
  SecretBytes m_scalar;
  Bytes32 m_point;
};

}  // namespace

util::Result<Bytes32> decode_age_share(std::string_view arg, std::string_view stanza_type) {
  const auto share = util::base64_decode(arg, util::Padding::no);
  if (!share || share->size() != 32) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("the share of an {} stanza is not 32 bytes of canonical base64", stanza_type));
  }
  Bytes32 out{};
  std::copy(share->begin(), share->end(), out.begin());
  return out;
}

util::Result<std::shared_ptr<const AgeRecipient>> parse_age_x25519_recipient(std::string_view text) {
  const auto decoded = bech32_decode(text);
  if (!decoded || decoded->hrp != "age" || decoded->data.size() != 32 || text.starts_with("AGE")) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "an age1… recipient must be 32 bytes in lower-case Bech32 with a valid checksum");
  }
  Bytes32 point{};
  std::copy(decoded->data.begin(), decoded->data.end(), point.begin());
  return std::make_shared<const X25519Recipient>(point);
}

util::Result<std::shared_ptr<const AgeIdentity>> parse_age_x25519_identity(std::string_view text) {
  const auto decoded = bech32_decode(text);
  if (!decoded || decoded->hrp != "age-secret-key-" || decoded->data.size() != 32 || !text.starts_with("AGE-")) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "an AGE-SECRET-KEY-1… identity must be 32 bytes in upper-case Bech32 with a valid checksum");
  }
  return std::make_shared<const X25519Identity>(SecretBytes(decoded->data));
}

std::string encode_age_x25519_identity(std::span<const unsigned char> scalar) {
  return bech32_encode("AGE-SECRET-KEY-", as_chars(scalar), true);
}

std::string encode_age_x25519_recipient(std::span<const unsigned char> point) {
  return bech32_encode("age", as_chars(point));
}

}  // namespace volback::crypto
