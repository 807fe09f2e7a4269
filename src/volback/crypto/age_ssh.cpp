#include <volback/crypto/age_ssh.hpp>

#include <volback/crypto/age_x25519.hpp>
#include <volback/crypto/primitives.hpp>
#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_ed25519_type = "ssh-ed25519";
constexpr std::string_view k_rsa_type = "ssh-rsa";
constexpr std::string_view k_ed25519_label = "age-encryption.org/v1/ssh-ed25519";
constexpr std::string_view k_rsa_label = "age-encryption.org/v1/ssh-rsa";

std::string ssh_tag(std::string_view wire) {
  const auto digest = hash_of(Hash::sha256, as_uchars(wire));
  return util::base64_encode(std::string_view(digest).substr(0, 4), util::Padding::no);
}

// The wrapping key of an ssh-ed25519 stanza from the X25519 shared secret.
util::Result<SecretBytes> ed25519_wrapping_key(const Bytes32& shared, std::string_view wire, const Bytes32& share,
                                               const Bytes32& recipient) {
  // HKDF with an empty secret and the SSH key as the salt (hkdf.New(sha256, nil, key, label)).
  VOLBACK_TRY_ASSIGN(const auto tweak, hkdf_sha256({}, wire, k_ed25519_label, 32));
  VOLBACK_TRY_ASSIGN(const Bytes32 tweaked, x25519(tweak.span(), shared));
  std::string salt(as_chars(share));
  salt += as_chars(recipient);
  return hkdf_sha256(tweaked, salt, k_ed25519_label, 32);
}

class Ed25519Recipient final : public AgeRecipient {
 public:
  Ed25519Recipient(std::string wire, const Bytes32& point) : m_wire(std::move(wire)), m_point(point) {}

  util::Result<AgeStanza> wrap(const SecretBytes& file_key) const override {
    SecretBytes ephemeral(32);
    VOLBACK_TRY(random_bytes(ephemeral.span()));
    const Bytes32 share = x25519_base(ephemeral.span());
    VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(ephemeral.span(), m_point));
    VOLBACK_TRY_ASSIGN(const auto key, ed25519_wrapping_key(shared, m_wire, share, m_point));
    VOLBACK_TRY_ASSIGN(auto body, seal_zero_nonce(key.span(), file_key.span()));
    return AgeStanza{std::string(k_ed25519_type),
                     {ssh_tag(m_wire), util::base64_encode(as_chars(share), util::Padding::no)},
                     std::move(body)};
  }
  std::string_view type() const override { return k_ed25519_type; }

 private:
  std::string m_wire;
  Bytes32 m_point;  // the Ed25519 key in Montgomery form
};

class Ed25519Identity final : public AgeIdentity {
 public:
  Ed25519Identity(std::string wire, SecretBytes scalar, const Bytes32& point)
    : m_wire(std::move(wire)), m_tag(ssh_tag(m_wire)), m_scalar(std::move(scalar)), m_point(point) {}

  util::Result<std::optional<SecretBytes>> unwrap(std::span<const AgeStanza> stanzas) const override {
    for (const auto& stanza : stanzas) {
      if (stanza.type != k_ed25519_type) {
        continue;
      }
      if (stanza.args.size() != 2) {
        return util::fail(util::ErrorKind::corrupt, "an ssh-ed25519 stanza must have exactly two arguments");
      }
      if (stanza.args[0] != m_tag) {
        continue;
      }
      VOLBACK_TRY_ASSIGN(const Bytes32 share, decode_age_share(stanza.args[1], k_ed25519_type));
      if (stanza.body.size() != k_age_file_key_size + ChaCha20Poly1305::k_tag_size) {
        return util::fail(util::ErrorKind::corrupt, "the body of an ssh-ed25519 stanza is not 32 bytes");
      }
      VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(m_scalar.span(), share).map_error([](util::Error) {
        return util::Error(util::ErrorKind::corrupt, "an ssh-ed25519 stanza's share is a low-order point");
      }));
      VOLBACK_TRY_ASSIGN(const auto key, ed25519_wrapping_key(shared, m_wire, share, m_point));
      VOLBACK_TRY_ASSIGN(auto file_key, unwrapped_or_none(open_zero_nonce(key.span(), as_uchars(stanza.body))));
      if (file_key) {
        return file_key;
      }
    }
    return std::optional<SecretBytes>{};
  }
  std::string_view type() const override { return k_ed25519_type; }

 private:
  std::string m_wire;
  std::string m_tag;
  SecretBytes m_scalar;
  Bytes32 m_point;
};

class RsaRecipient final : public AgeRecipient {
 public:
  RsaRecipient(std::string wire, RsaKey key) : m_wire(std::move(wire)), m_key(std::move(key)) {}

  util::Result<AgeStanza> wrap(const SecretBytes& file_key) const override {
    VOLBACK_TRY_ASSIGN(auto body, m_key.encrypt_oaep_sha256(file_key.view(), k_rsa_label));
    return AgeStanza{std::string(k_rsa_type), {ssh_tag(m_wire)}, std::move(body)};
  }
  std::string_view type() const override { return k_rsa_type; }

 private:
  std::string m_wire;
  RsaKey m_key;
};

class RsaIdentity final : public AgeIdentity {
 public:
  RsaIdentity(std::string wire, RsaKey key) : m_tag(ssh_tag(wire)), m_key(std::move(key)) {}

  util::Result<std::optional<SecretBytes>> unwrap(std::span<const AgeStanza> stanzas) const override {
    for (const auto& stanza : stanzas) {
      if (stanza.type != k_rsa_type) {
        continue;
      }
      if (stanza.args.size() != 1) {
        return util::fail(util::ErrorKind::corrupt, "an ssh-rsa stanza must have exactly one argument");
      }
      if (stanza.args[0] != m_tag) {
        continue;
      }
      VOLBACK_TRY_ASSIGN(auto file_key, unwrapped_or_none(m_key.decrypt_oaep_sha256(stanza.body, k_rsa_label)));
      if (file_key) {
        return file_key;
      }
    }
    return std::optional<SecretBytes>{};
  }
  std::string_view type() const override { return k_rsa_type; }

 private:
  std::string m_tag;
  RsaKey m_key;
};

}  // namespace

util::Result<std::shared_ptr<const AgeRecipient>> make_age_ssh_recipient(const SshPublicKey& key) {
  if (key.type == SshKeyType::rsa) {
    return std::make_shared<const RsaRecipient>(key.wire, *key.rsa);
  }
  VOLBACK_TRY_ASSIGN(const Bytes32 point, ed25519_public_to_x25519(key.ed25519));
  return std::make_shared<const Ed25519Recipient>(key.wire, point);
}

util::Result<std::shared_ptr<const AgeIdentity>> make_age_ssh_identity(const SshPrivateKey& key) {
  if (key.type == SshKeyType::rsa) {
    return std::make_shared<const RsaIdentity>(key.public_wire, *key.rsa);
  }
  VOLBACK_TRY_ASSIGN(const Bytes32 point, ed25519_public_to_x25519(key.ed25519.span().subspan(32)));
  return std::make_shared<const Ed25519Identity>(key.public_wire, ed25519_secret_to_x25519(key.ed25519.span()), point);
}

}  // namespace volback::crypto
