#include <volback/crypto/pgp_keys.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/crypto/pgp_armor.hpp>
#include <volback/crypto/pgp_packet.hpp>
#include <volback/crypto/pgp_s2k.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_cv25519_oid{"\x2B\x06\x01\x04\x01\x97\x55\x01\x05\x01", 10};
constexpr std::size_t k_max_key_packet = 1 << 20;
constexpr std::uint8_t k_flag_encrypt = 0x04 | 0x08;

std::string_view curve_name(std::string_view oid) {
  if (oid == k_cv25519_oid) {
    return "cv25519";
  }
  if (oid == std::string_view("\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01", 9)) {
    return "ed25519";
  }
  if (oid == std::string_view("\x2A\x86\x48\xCE\x3D\x03\x01\x07", 8)) {
    return "NIST P-256";
  }
  if (oid == std::string_view("\x2B\x81\x04\x00\x22", 5)) {
    return "NIST P-384";
  }
  if (oid == std::string_view("\x2B\x81\x04\x00\x23", 5)) {
    return "NIST P-521";
  }
  return "an unknown curve";
}

util::Error malformed(std::string_view what) {
  return util::Error(util::ErrorKind::invalid_argument, std::string(what));
}

// The public part of a version 4 key packet: fields, material and fingerprint. `reader`
// is left after the public material.
util::Result<PgpPublicKey> parse_public_part(std::string_view body, PgpReader& reader) {
  const auto version = reader.u8();
  if (!version) {
    return util::fail(malformed("a key packet is empty"));
  }
  if (*version != 4) {
    return util::fail(
      malformed(fmt::format("a version {} key: only version 4 keys (GnuPG 2.2's) are supported", *version)));
  }
  PgpPublicKey key;
  const auto created = reader.u32();
  const auto algorithm = reader.u8();
  if (!created || !algorithm) {
    return util::fail(malformed("a key packet is truncated"));
  }
  key.created = *created;
  key.algorithm = *algorithm;
  const auto truncated = [] { return util::fail(malformed("a key packet's public material is truncated")); };
  switch (static_cast<PgpAlgorithm>(*algorithm)) {
  case PgpAlgorithm::rsa:
  case PgpAlgorithm::rsa_encrypt_only:
  case PgpAlgorithm::rsa_sign_only: {
    const auto n = reader.mpi();
    const auto e = reader.mpi();
    if (!n || !e) {
      return truncated();
    }
    auto rsa = RsaKey::from_public(*n, *e);
    if (!rsa) {
      return util::fail(malformed("an RSA key is not a valid RSA key"));
    }
    key.rsa = std::move(*rsa);
    break;
  }
  case PgpAlgorithm::dsa:
    for (int i = 0; i < 4; ++i) {
      if (!reader.mpi()) {
        return truncated();
      }
    }
    break;
  case PgpAlgorithm::elgamal:
    for (int i = 0; i < 3; ++i) {
      if (!reader.mpi()) {
        return truncated();
      }
    }
    break;
  case PgpAlgorithm::ecdh:
  case PgpAlgorithm::ecdsa:
  case PgpAlgorithm::eddsa: {
    const auto oid_size = reader.u8();
    if (!oid_size || *oid_size == 0 || *oid_size == 0xFF) {
      return truncated();
    }
    const auto oid = reader.bytes(*oid_size);
    const auto point = reader.mpi();
    if (!oid || !point) {
      return truncated();
    }
    key.curve_oid = std::string(*oid);
    if (*algorithm == static_cast<std::uint8_t>(PgpAlgorithm::ecdh)) {
      const auto kdf_size = reader.u8();
      const auto kdf = kdf_size ? reader.bytes(*kdf_size) : std::nullopt;
      if (!kdf || kdf->size() < 3 || (*kdf)[0] != 1) {
        return util::fail(malformed("an ECDH key's KDF parameters are malformed"));
      }
      key.kdf_hash = static_cast<std::uint8_t>((*kdf)[1]);
      key.kdf_cipher = static_cast<std::uint8_t>((*kdf)[2]);
      if (*oid == k_cv25519_oid) {
        if (point->size() != 33 || (*point)[0] != '\x40') {
          return util::fail(malformed("a cv25519 key's point is not 0x40 and 32 bytes"));
        }
        key.cv25519 = true;
        std::copy(point->begin() + 1, point->end(), key.ecdh_point.begin());
      }
    }
    break;
  }
  default:
    // An algorithm volback does not know: its material cannot be delimited, but a public
    // key packet is nothing else, so it can still be skipped.
    reader = PgpReader("");
    break;
  }
  const std::string_view public_part = body.substr(0, body.size() - reader.size());
  Digest sha1(Hash::sha1);
  std::string prefix = "\x99";
  put_u16(prefix, static_cast<std::uint16_t>(public_part.size()));
  sha1.update(prefix);
  sha1.update(public_part);
  key.fingerprint = sha1.final();
  key.key_id = 0;
  for (std::size_t i = 12; i < 20; ++i) {
    key.key_id = (key.key_id << 8) | static_cast<unsigned char>(key.fingerprint[i]);
  }
  return key;
}

struct SignatureInfo {
  std::uint8_t type = 0;
  std::uint32_t created = 0;
  std::optional<std::uint8_t> flags;
  std::optional<std::uint64_t> issuer;
};

// The subpackets of a version 4 signature volback uses; nullopt for other versions or a
// malformed signature (ignored, as it cannot be a usable self-signature).
std::optional<SignatureInfo> parse_signature(std::string_view body) {
  PgpReader reader(body);
  const auto version = reader.u8();
  if (version != 4) {
    return std::nullopt;
  }
  SignatureInfo info;
  const auto type = reader.u8();
  if (!type || !reader.u8() || !reader.u8()) {
    return std::nullopt;
  }
  info.type = *type;
  for (int area = 0; area < 2; ++area) {
    const auto size = reader.u16();
    const auto data = size ? reader.bytes(*size) : std::nullopt;
    if (!data) {
      return std::nullopt;
    }
    PgpReader sub(*data);
    while (!sub.empty()) {
      const auto first = sub.u8();
      std::uint32_t length = *first;
      if (*first >= 192 && *first < 255) {
        const auto second = sub.u8();
        if (!second) {
          return std::nullopt;
        }
        length = ((std::uint32_t{*first} - 192) << 8) + *second + 192;
      } else if (*first == 255) {
        const auto four = sub.u32();
        if (!four) {
          return std::nullopt;
        }
        length = *four;
      }
      const auto packet = length > 0 ? sub.bytes(length) : std::nullopt;
      if (!packet) {
        return std::nullopt;
      }
      const auto subtype = static_cast<std::uint8_t>((*packet)[0]) & 0x7f;
      const auto value = packet->substr(1);
      const bool hashed = area == 0;
      if (subtype == 2 && hashed && value.size() == 4) {
        PgpReader v(value);
        info.created = *v.u32();
      } else if (subtype == 27 && hashed && !value.empty()) {
        info.flags = static_cast<std::uint8_t>(value[0]);
      } else if (subtype == 16 && value.size() == 8) {
        std::uint64_t id = 0;
        for (const char c : value) {
          id = (id << 8) | static_cast<unsigned char>(c);
        }
        info.issuer = id;
      } else if (subtype == 33 && value.size() == 21) {
        std::uint64_t id = 0;
        for (const char c : value.substr(13)) {
          id = (id << 8) | static_cast<unsigned char>(c);
        }
        info.issuer = id;
      }
    }
  }
  return info;
}

bool algorithm_can_encrypt(std::uint8_t algorithm) {
  return algorithm == 1 || algorithm == 2 || algorithm == 16 || algorithm == 18;
}

// One key of a ring as it is walked: the primary key, its subkeys, and what their
// signatures say.
struct Walked {
  struct Key {
    PgpPublicKey key;
    std::string secret;
    bool revoked = false;
    bool bound = false;  // a subkey with a binding signature
    std::uint32_t sig_time = 0;
    std::optional<std::uint8_t> flags;
  };
  Key primary;
  std::vector<Key> subkeys;
};

util::Result<std::string> binary_ring(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) {
    ++at;
  }
  if (text.substr(at).starts_with(k_pgp_armor_begin)) {
    return dearmor_all(text);
  }
  if (!text.empty() && (static_cast<unsigned char>(text[0]) & 0x80) != 0) {
    return std::string(text);
  }
  return util::fail(malformed("it is neither an armored (-----BEGIN PGP ... KEY BLOCK-----) nor a binary key ring"));
}

// Walks the packets of a key ring. `secret`: the ring holds secret key packets.
util::Result<std::vector<Walked>> walk_ring(std::string_view text, bool secret) {
  VOLBACK_TRY_ASSIGN(const std::string binary, binary_ring(text));
  io::MemorySource source(binary);
  ByteStream in(source);
  std::vector<Walked> keys;
  enum class Last { none, primary, user_id, subkey } last = Last::none;
  const PgpTag primary_tag = secret ? PgpTag::secret_key : PgpTag::public_key;
  const PgpTag subkey_tag = secret ? PgpTag::secret_subkey : PgpTag::public_subkey;
  for (;;) {
    const auto at = keys.size() + 1;
    const auto context = [&](const util::Error& e) {
      return util::Error(util::ErrorKind::invalid_argument,
                         fmt::format("key {}: {}", keys.empty() ? 1 : keys.size(), e.message()));
    };
    auto header = read_packet_header(in);
    if (!header) {
      return util::fail(context(header.error()));
    }
    if (!*header) {
      break;
    }
    auto body = read_body(in, **header, k_max_key_packet);
    if (!body) {
      return util::fail(context(body.error()));
    }
    const PgpTag tag = (*header)->tag;
    if (tag == primary_tag || tag == subkey_tag) {
      PgpReader reader(*body);
      auto key = parse_public_part(*body, reader);
      if (!key) {
        return util::fail(
          util::Error(util::ErrorKind::invalid_argument,
                      fmt::format("key {}: {}", tag == primary_tag ? at : keys.size(), key.error().message())));
      }
      Walked::Key walked{std::move(*key), std::string(reader.rest())};
      if (tag == primary_tag) {
        keys.push_back(Walked{std::move(walked), {}});
        last = Last::primary;
      } else {
        if (keys.empty()) {
          return util::fail(malformed("key 1: a subkey comes before any primary key"));
        }
        keys.back().subkeys.push_back(std::move(walked));
        last = Last::subkey;
      }
      continue;
    }
    if (tag == PgpTag::public_key || tag == PgpTag::secret_key || tag == PgpTag::public_subkey ||
        tag == PgpTag::secret_subkey) {
      return util::fail(malformed(secret ? fmt::format("key {}: a public key where a secret key ring was expected", at)
                                         : fmt::format("key {}: a secret key in a public key ring", at)));
    }
    if (keys.empty()) {
      return util::fail(malformed("key 1: the ring does not start with a key"));
    }
    auto& current = keys.back();
    if (tag == PgpTag::user_id || tag == PgpTag::user_attribute) {
      last = Last::user_id;
      continue;
    }
    if (tag != PgpTag::signature) {
      continue;  // trust packets and others
    }
    const auto sig = parse_signature(*body);
    if (!sig || (sig->issuer && *sig->issuer != current.primary.key.key_id)) {
      continue;  // not a self-signature
    }
    if (last == Last::subkey) {
      auto& sub = current.subkeys.back();
      if (sig->type == 0x28) {
        sub.revoked = true;
      } else if (sig->type == 0x18 && sig->created >= sub.sig_time) {
        sub.bound = true;
        sub.sig_time = sig->created;
        sub.flags = sig->flags;
      }
    } else if (sig->type == 0x20) {
      current.primary.revoked = true;
    } else if (((sig->type >= 0x10 && sig->type <= 0x13) || sig->type == 0x1F) &&
               sig->created >= current.primary.sig_time) {
      current.primary.sig_time = sig->created;
      current.primary.flags = sig->flags;
    }
  }
  if (keys.empty()) {
    return util::fail(malformed("it holds no key"));
  }
  return keys;
}

}  // namespace

bool PgpPublicKey::can_encrypt() const {
  return rsa.has_value() ? algorithm != static_cast<std::uint8_t>(PgpAlgorithm::rsa_sign_only) : cv25519;
}

std::string PgpPublicKey::describe() const {
  switch (static_cast<PgpAlgorithm>(algorithm)) {
  case PgpAlgorithm::rsa:
  case PgpAlgorithm::rsa_encrypt_only:
  case PgpAlgorithm::rsa_sign_only: return fmt::format("RSA {}", rsa ? rsa->bits() : 0);
  case PgpAlgorithm::elgamal: return "ElGamal";
  case PgpAlgorithm::dsa: return "DSA";
  case PgpAlgorithm::ecdh: return fmt::format("ECDH {}", curve_name(curve_oid));
  case PgpAlgorithm::ecdsa: return fmt::format("ECDSA {}", curve_name(curve_oid));
  case PgpAlgorithm::eddsa: return "EdDSA";
  }
  return fmt::format("algorithm {}", algorithm);
}

util::Result<std::vector<PgpPublicKey>> parse_pgp_public_key_ring(std::string_view text) {
  VOLBACK_TRY_ASSIGN(auto walked, walk_ring(text, false));
  std::vector<PgpPublicKey> recipients;
  for (std::size_t i = 0; i < walked.size(); ++i) {
    const auto& entry = walked[i];
    const std::string name = fmt::format("key {} ({})", i + 1, entry.primary.key.describe());
    if (entry.primary.revoked) {
      return util::fail(malformed(fmt::format("{} is revoked", name)));
    }
    std::vector<const Walked::Key*> candidates;
    const auto allows_encryption = [](const Walked::Key& k) {
      return k.flags ? (*k.flags & k_flag_encrypt) != 0 : algorithm_can_encrypt(k.key.algorithm);
    };
    for (const auto& sub : entry.subkeys) {
      if (sub.bound && !sub.revoked && allows_encryption(sub)) {
        candidates.push_back(&sub);
      }
    }
    if (entry.primary.flags ? allows_encryption(entry.primary) : algorithm_can_encrypt(entry.primary.key.algorithm)) {
      candidates.push_back(&entry.primary);
    }
    const Walked::Key* best = nullptr;
    for (const auto* candidate : candidates) {
      if (candidate->key.can_encrypt() && (best == nullptr || candidate->key.created > best->key.created)) {
        best = candidate;
      }
    }
    if (best == nullptr) {
      if (candidates.empty()) {
        return util::fail(malformed(fmt::format("{} has no key that may encrypt", name)));
      }
      return util::fail(
        malformed(fmt::format("{}: its encryption key is {}, which volback does not support (RSA "
                              "and ECDH cv25519 are)",
                              name, candidates.front()->key.describe())));
    }
    recipients.push_back(best->key);
  }
  return recipients;
}

util::Result<std::vector<PgpSecretKey>> parse_pgp_secret_key_ring(std::string_view text) {
  VOLBACK_TRY_ASSIGN(auto walked, walk_ring(text, true));
  std::vector<PgpSecretKey> keys;
  for (std::size_t i = 0; i < walked.size(); ++i) {
    const auto add = [&](const Walked::Key& k) {
      if (k.key.can_encrypt()) {
        keys.emplace_back(k.key, k.secret, i + 1);
      }
    };
    add(walked[i].primary);
    for (const auto& sub : walked[i].subkeys) {
      add(sub);
    }
  }
  if (keys.empty()) {
    return util::fail(malformed("it holds no RSA or ECDH cv25519 secret key"));
  }
  return keys;
}

util::Result<PgpSecretKey::Unlocked> PgpSecretKey::unlock(std::optional<std::string_view> passphrase) const {
  const std::string name =
    fmt::format("secret key {} ({}, {})", m_position, m_public.describe(), format_key_id(m_public.key_id));
  PgpReader reader(m_secret);
  const auto usage = reader.u8();
  if (!usage) {
    return util::fail(malformed(fmt::format("{} has no secret material", name)));
  }
  SecretBytes plain;
  if (*usage == 0) {
    plain = SecretBytes(reader.rest());
    if (plain.size() < 2) {
      return util::fail(malformed(fmt::format("{} is truncated", name)));
    }
    std::uint16_t sum = 0;
    for (std::size_t i = 0; i + 2 < plain.size(); ++i) {
      sum = static_cast<std::uint16_t>(sum + plain.data()[i]);
    }
    const std::uint16_t stored =
      static_cast<std::uint16_t>((plain.data()[plain.size() - 2] << 8) | plain.data()[plain.size() - 1]);
    if (sum != stored) {
      return util::fail(malformed(fmt::format("{} fails its checksum", name)));
    }
    plain = SecretBytes(plain.span().first(plain.size() - 2));
  } else if (*usage == 254 || *usage == 255) {
    const auto cipher_id = reader.u8();
    const auto cipher = cipher_id ? pgp_cipher(*cipher_id) : std::nullopt;
    if (!cipher) {
      return util::fail(malformed(fmt::format("{} is protected with a cipher volback does not support", name)));
    }
    auto s2k = read_s2k(reader);
    if (!s2k) {
      return util::fail(malformed(fmt::format("{}: {}", name, s2k.error().message())));
    }
    if (s2k->gnu_dummy) {
      return util::fail(
        malformed(fmt::format("{} is a GnuPG stub: its secret is not in the key ring (exported with "
                              "--export-secret-subkeys, or on a smartcard)",
                              name)));
    }
    const auto iv = reader.bytes(k_block_size);
    if (!iv) {
      return util::fail(malformed(fmt::format("{} is truncated", name)));
    }
    if (!passphrase) {
      return util::fail(util::ErrorKind::auth,
                        fmt::format("{} is protected by a passphrase: set GPG_SECRET_KEY_PASSPHRASE", name));
    }
    VOLBACK_TRY_ASSIGN(const auto key, s2k->derive(*passphrase, key_size(*cipher)));
    VOLBACK_TRY_ASSIGN(auto cfb, CfbCipher::create(*cipher, key.span(), as_uchars(*iv), CfbCipher::Direction::decrypt));
    plain = SecretBytes(reader.rest().size());
    VOLBACK_TRY(cfb.update(as_uchars(reader.rest()), plain.span()));
    const std::size_t check = *usage == 254 ? 20 : 2;
    if (plain.size() < check) {
      return util::fail(malformed(fmt::format("{} is truncated", name)));
    }
    const auto body = plain.span().first(plain.size() - check);
    bool ok = false;
    if (*usage == 254) {
      ok = SecretBytes(as_chars(plain.span().subspan(body.size()))).equals(as_uchars(hash_of(Hash::sha1, body)));
    } else {
      std::uint16_t sum = 0;
      for (const auto b : body) {
        sum = static_cast<std::uint16_t>(sum + b);
      }
      ok = sum == ((plain.data()[body.size()] << 8) | plain.data()[body.size() + 1]);
    }
    if (!ok) {
      return util::fail(util::ErrorKind::auth, fmt::format("the passphrase of {} is wrong", name));
    }
    plain = SecretBytes(body);
  } else {
    return util::fail(malformed(fmt::format("{} uses a legacy protection volback does not support", name)));
  }
  PgpReader material(plain.view());
  Unlocked unlocked;
  if (m_public.rsa) {
    const auto d = material.mpi();
    const auto p = material.mpi();
    const auto q = material.mpi();
    const auto u = material.mpi();
    if (!d || !p || !q || !u) {
      return util::fail(malformed(fmt::format("{}: the RSA secret is truncated", name)));
    }
    auto rsa = RsaKey::from_private(m_public.rsa->n(), m_public.rsa->e(), *d, *p, *q);
    if (!rsa) {
      return util::fail(malformed(fmt::format("{}: the RSA secret is not valid", name)));
    }
    unlocked.rsa = std::move(*rsa);
    return unlocked;
  }
  const auto secret = material.mpi();
  if (!secret || secret->size() > 32) {
    return util::fail(malformed(fmt::format("{}: the cv25519 secret is malformed", name)));
  }
  // GnuPG stores the Curve25519 scalar big-endian (RFC 9580 §5.5.5.6.1.1): reversed here.
  unlocked.ecdh_scalar = SecretBytes(32);
  for (std::size_t i = 0; i < secret->size(); ++i) {
    unlocked.ecdh_scalar.data()[i] = static_cast<unsigned char>((*secret)[secret->size() - 1 - i]);
  }
  if (x25519_base(unlocked.ecdh_scalar.span()) != m_public.ecdh_point) {
    return util::fail(malformed(fmt::format("{}: the cv25519 secret does not match its public key", name)));
  }
  return unlocked;
}

bool looks_like_pgp_key_ring(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) {
    ++at;
  }
  text.remove_prefix(at);
  if (text.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----") ||
      text.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
    return true;
  }
  if (text.empty()) {
    return false;
  }
  const auto first = static_cast<unsigned char>(text[0]);
  // A key packet, old format (tags 5 and 6) or new format.
  return first == 0x94 || first == 0x95 || first == 0x96 || first == 0x97 || first == 0x98 || first == 0x99 ||
         first == 0x9a || first == 0x9b || first == 0xC5 || first == 0xC6;
}

std::string format_key_id(std::uint64_t key_id) {
  return fmt::format("0x{:016X}", key_id);
}

}  // namespace volback::crypto
