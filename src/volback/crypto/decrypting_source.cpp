#include <volback/crypto/decrypting_source.hpp>

#include <fmt/format.h>

#include <volback/crypto/age_armor.hpp>
#include <volback/crypto/age_header.hpp>
#include <volback/crypto/age_stream.hpp>
#include <volback/crypto/pgp_armor.hpp>
#include <volback/crypto/pgp_stream.hpp>

namespace volback::crypto {

namespace {

constexpr std::size_t k_head = 64;

std::string_view skip_space(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}

// Whether `head` starts with an OpenPGP packet that begins an encrypted message: a PKESK
// (version 3), a SKESK (version 4 to 6) or a marker packet ("PGP").
bool is_openpgp_start(std::string_view head) {
  if (head.size() < 4) {
    return false;
  }
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const unsigned first = byte(0);
  if ((first & 0x80) == 0) {
    return false;
  }
  unsigned tag = 0;
  std::size_t body = 0;
  if ((first & 0x40) != 0) {
    tag = first & 0x3f;
    const unsigned len = byte(1);
    body = len < 192 ? 2 : len < 224 ? 3 : len == 255 ? 6 : 2;
  } else {
    tag = (first >> 2) & 0x0f;
    const unsigned type = first & 3;
    body = type == 0 ? 2 : type == 1 ? 3 : type == 2 ? 5 : 1;
  }
  if (body + 3 > head.size()) {
    return false;
  }
  const unsigned version = byte(body);
  switch (tag) {
  case 1: return version == 3;
  case 3: return version >= 4 && version <= 6;
  case 10: return head.substr(body, 3) == "PGP";
  default: return false;
  }
}

// What decrypts a backup of `encryption`, for the message when nothing does.
std::string hint(Encryption encryption, const DecryptionKeys& keys) {
  if (encryption == Encryption::age) {
    return fmt::format(
      "age backups decrypt with AGE_PASSPHRASE{}, or with AGE_IDENTITY_FILE or --identity FILE{}",
      keys.has_age_passphrase() ? " (set, but it does not open this one)" : "",
      keys.age_identity_origin().empty()
        ? ""
        : fmt::format(" (given as {}, but none of its identities opens this one)", keys.age_identity_origin()));
  }
  return fmt::format(
    "gpg backups decrypt with GPG_PASSPHRASE{}, or with GPG_SECRET_KEY_RING_FILE or --identity FILE{} and "
    "GPG_SECRET_KEY_PASSPHRASE",
    keys.pgp().passphrase ? " (set)" : "",
    keys.gpg_secret_origin().empty() ? "" : fmt::format(" (given as {})", keys.gpg_secret_origin()));
}

}  // namespace

std::string_view to_string(Encryption encryption) {
  switch (encryption) {
  case Encryption::none: return "";
  case Encryption::age: return "age";
  case Encryption::openpgp: return "OpenPGP";
  }
  return "";
}

Encryption recognise_encryption(std::string_view head) {
  if (head.starts_with("age-encryption.org/")) {
    return Encryption::age;
  }
  const auto text = skip_space(head);
  if (text.starts_with(k_age_armor_begin)) {
    return Encryption::age;
  }
  if (text.starts_with("-----BEGIN PGP MESSAGE-----")) {
    return Encryption::openpgp;
  }
  return is_openpgp_start(head) ? Encryption::openpgp : Encryption::none;
}

DecryptingSource::DecryptingSource(io::Source& raw, std::string head, Encryption encryption)
  : m_encryption(encryption), m_replay(raw, std::move(head)) {}

DecryptingSource::~DecryptingSource() = default;

util::Result<std::unique_ptr<DecryptingSource>> DecryptingSource::open(io::Source& raw, const DecryptionKeys& keys) {
  std::string head;
  VOLBACK_TRY(io::read_head(raw, head, k_head));
  const Encryption encryption = recognise_encryption(head);
  const bool armored = skip_space(head).starts_with("-----");
  auto source = std::unique_ptr<DecryptingSource>(new DecryptingSource(raw, std::move(head), encryption));
  io::Source* in = &source->m_replay;
  const auto failed = [&](const util::Error& error) {
    const std::string what =
      fmt::format("cannot decrypt the {}-encrypted backup: {}", to_string(encryption), error.message());
    if (error.kind() == util::ErrorKind::auth) {
      return util::Error(util::ErrorKind::auth, fmt::format("{}. {}", what, hint(encryption, keys)));
    }
    return util::Error(error.kind(), what);
  };
  switch (encryption) {
  case Encryption::none: return source;
  case Encryption::age: {
    if (armored) {
      source->m_armor = std::make_unique<AgeArmorSource>(*in);
      in = source->m_armor.get();
    }
    auto identities = keys.age_identities();
    if (!identities) {
      return util::fail(failed(identities.error()));
    }
    auto age = AgeDecryptSource::open(*in, *identities);
    if (!age) {
      return util::fail(failed(age.error()));
    }
    source->m_plain = std::move(*age);
    return source;
  }
  case Encryption::openpgp: {
    if (armored) {
      source->m_armor = std::make_unique<PgpArmorSource>(*in);
      in = source->m_armor.get();
    }
    auto pgp = PgpDecryptSource::open(*in, keys.pgp());
    if (!pgp) {
      return util::fail(failed(pgp.error()));
    }
    source->m_plain = std::move(*pgp);
    return source;
  }
  }
  return source;
}

util::Result<std::size_t> DecryptingSource::read(std::span<std::byte> buf) {
  if (!m_plain) {
    return m_replay.read(buf);
  }
  return m_plain->read(buf);
}

}  // namespace volback::crypto
