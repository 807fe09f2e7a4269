#include <volback/crypto/age_keys.hpp>

#include <fmt/format.h>

#include <volback/crypto/age_armor.hpp>
#include <volback/crypto/age_scrypt.hpp>
#include <volback/crypto/age_ssh.hpp>
#include <volback/crypto/age_stream.hpp>
#include <volback/crypto/age_x25519.hpp>
#include <volback/crypto/ssh_keys.hpp>
#include <volback/io/memory_source.hpp>
#include <volback/util/trim.hpp>

namespace volback::crypto {

namespace {

bool is_encrypted_age(std::string_view text) {
  text = util::trim(text);
  return text.starts_with(k_age_version_line) || text.starts_with(k_age_armor_begin);
}

// Decrypts an age file held in memory with a passphrase (an encrypted identity file).
util::Result<std::string> decrypt_with_passphrase(std::string_view text, std::string_view passphrase) {
  io::MemorySource raw{std::string(text)};
  std::optional<AgeArmorSource> armor;
  io::Source* in = &raw;
  if (util::trim(text).starts_with(k_age_armor_begin)) {
    armor.emplace(raw);
    in = &*armor;
  }
  const AgeIdentities identities{make_age_scrypt_identity(passphrase)};
  auto source = AgeDecryptSource::open(*in, identities);
  if (!source) {
    if (source.error().kind() == util::ErrorKind::auth) {
      return util::fail(util::ErrorKind::auth, "the passphrase of the encrypted identity file is wrong");
    }
    return util::fail(source.error().with_context("the encrypted identity file cannot be read"));
  }
  std::string out;
  std::byte buffer[16 * 1024];
  for (;;) {
    auto n = (*source)->read(buffer);
    if (!n) {
      return util::fail(n.error().with_context("the encrypted identity file cannot be read"));
    }
    if (*n == 0) {
      return out;
    }
    out.append(reinterpret_cast<const char*>(buffer), *n);
    if (out.size() > (1 << 20)) {
      return util::fail(util::ErrorKind::invalid_argument, "the encrypted identity file is larger than 1 MiB");
    }
  }
}

util::Result<AgeIdentities> parse_identity_lines(std::string_view text) {
  AgeIdentities identities;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = util::trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    if (!line.starts_with("AGE-SECRET-KEY-1")) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("line {} of the identity file is not an AGE-SECRET-KEY-1… identity{}", number,
                                    line.starts_with("AGE-PLUGIN-") ? " (age plugins are not supported)" : ""));
    }
    auto identity = parse_age_x25519_identity(line);
    if (!identity) {
      return util::fail(identity.error().with_context(fmt::format("line {} of the identity file", number)));
    }
    identities.push_back(std::move(*identity));
  }
  if (identities.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "the identity file holds no identity");
  }
  return identities;
}

}  // namespace

util::Result<std::shared_ptr<const AgeRecipient>> parse_age_recipient(std::string_view text) {
  text = util::trim(text);
  if (text.starts_with("age1")) {
    return parse_age_x25519_recipient(text);
  }
  if (text.starts_with("ssh-")) {
    VOLBACK_TRY_ASSIGN(const auto key, parse_ssh_public_key(text));
    return make_age_ssh_recipient(key);
  }
  return util::fail(util::ErrorKind::invalid_argument,
                    "a recipient is an age1… key, or an ssh-ed25519 or ssh-rsa public key");
}

std::string_view age_recipient_kind(std::string_view text) {
  text = util::trim(text);
  if (text.starts_with("age1")) {
    return "X25519";
  }
  if (text.starts_with("ssh-ed25519 ")) {
    return "ssh-ed25519";
  }
  if (text.starts_with("ssh-rsa ")) {
    return "ssh-rsa";
  }
  return "unknown";
}

util::Result<AgeIdentities> parse_age_identities(std::string_view text, std::optional<std::string_view> passphrase) {
  if (is_encrypted_age(text)) {
    if (!passphrase) {
      return util::fail(util::ErrorKind::auth, "the identity file is encrypted with a passphrase");
    }
    VOLBACK_TRY_ASSIGN(const auto plain, decrypt_with_passphrase(text, *passphrase));
    return parse_identity_lines(plain);
  }
  if (is_ssh_private_key(text)) {
    VOLBACK_TRY_ASSIGN(const auto key, parse_ssh_private_key(text, passphrase));
    VOLBACK_TRY_ASSIGN(auto identity, make_age_ssh_identity(key));
    return AgeIdentities{std::move(identity)};
  }
  return parse_identity_lines(text);
}

std::string_view age_identity_kind(std::string_view text) {
  if (is_encrypted_age(text)) {
    return "passphrase-protected age identity file";
  }
  if (is_ssh_private_key(text)) {
    return "SSH private key";
  }
  return "age identity file";
}

}  // namespace volback::crypto
