#include <volback/crypto/pgp_session.hpp>

#include <fmt/format.h>

#include <volback/crypto/pgp_packet.hpp>
#include <volback/crypto/pgp_s2k.hpp>

namespace volback::crypto {

namespace {

constexpr std::uint8_t k_pgp_rsa = 1;
constexpr std::uint8_t k_ecdh = 18;
constexpr std::string_view k_anonymous_sender = "Anonymous Sender    ";

util::Error corrupt(std::string_view what) {
  return util::Error(util::ErrorKind::corrupt, std::string(what));
}

// The cipher byte, the key and its 16-bit checksum: what RSA and ECDH carry.
std::string session_payload(const PgpSessionKey& session) {
  std::string out;
  out += static_cast<char>(pgp_cipher_id(session.cipher));
  out += session.key.view();
  std::uint16_t sum = 0;
  for (std::size_t i = 0; i < session.key.size(); ++i) {
    sum = static_cast<std::uint16_t>(sum + session.key.data()[i]);
  }
  put_u16(out, sum);
  return out;
}

util::Result<PgpSessionKey> parse_session_payload(std::span<const unsigned char> payload) {
  if (payload.size() < 3) {
    return util::fail(corrupt("the session key is truncated"));
  }
  const auto cipher = pgp_cipher(payload[0]);
  if (!cipher) {
    return util::fail(
      util::ErrorKind::invalid_argument,
      fmt::format("the message is encrypted with cipher {}, which volback does not support", payload[0]));
  }
  const auto key = payload.subspan(1, payload.size() - 3);
  if (key.size() != key_size(*cipher)) {
    return util::fail(corrupt("the session key's length does not fit its cipher"));
  }
  std::uint16_t sum = 0;
  for (const auto b : key) {
    sum = static_cast<std::uint16_t>(sum + b);
  }
  if (sum != ((payload[payload.size() - 2] << 8) | payload[payload.size() - 1])) {
    return util::fail(corrupt("the session key's checksum does not match"));
  }
  return PgpSessionKey{*cipher, SecretBytes(key)};
}

// RFC 6637 §7: the KEK of ECDH from the shared secret.
util::Result<SecretBytes> ecdh_kek(const PgpPublicKey& key, const Bytes32& shared) {
  const auto hash = pgp_hash(key.kdf_hash);
  const auto cipher = pgp_cipher(key.kdf_cipher);
  if (!hash || !cipher || key_size(*cipher) > hash_size(*hash) ||
      (*cipher != Cipher::aes128 && *cipher != Cipher::aes192 && *cipher != Cipher::aes256)) {
    return util::fail(util::ErrorKind::invalid_argument, "the ECDH key's KDF parameters are not supported");
  }
  std::string param;
  param += static_cast<char>(key.curve_oid.size());
  param += key.curve_oid;
  param += static_cast<char>(k_ecdh);
  param += "\x03\x01";
  param += static_cast<char>(key.kdf_hash);
  param += static_cast<char>(key.kdf_cipher);
  param += k_anonymous_sender;
  param += key.fingerprint;
  Digest digest(*hash);
  digest.update(std::string_view("\x00\x00\x00\x01", 4));
  digest.update(shared);
  digest.update(param);
  const std::string out = digest.final();
  return SecretBytes(std::string_view(out).substr(0, key_size(*cipher)));
}

}  // namespace

util::Result<PgpSkesk> make_skesk(std::string_view passphrase, Cipher cipher) {
  VOLBACK_TRY_ASSIGN(const auto s2k, new_s2k());
  VOLBACK_TRY_ASSIGN(auto key, s2k.derive(passphrase, key_size(cipher)));
  std::string body;
  body += '\x04';
  body += static_cast<char>(pgp_cipher_id(cipher));
  s2k.encode(body);
  PgpSkesk out;
  put_packet_header(out.packet, PgpTag::skesk, body.size());
  out.packet += body;
  out.session = PgpSessionKey{cipher, std::move(key)};
  return out;
}

util::Result<std::string> make_pkesk(const PgpPublicKey& recipient, const PgpSessionKey& session) {
  std::string body;
  body += '\x03';
  for (int i = 7; i >= 0; --i) {
    body += static_cast<char>(recipient.key_id >> (8 * i));
  }
  const std::string payload = session_payload(session);
  if (recipient.rsa) {
    body += static_cast<char>(k_pgp_rsa);
    VOLBACK_TRY_ASSIGN(const auto c, recipient.rsa->encrypt_pkcs1(payload));
    put_mpi(body, c);
  } else if (recipient.cv25519) {
    body += static_cast<char>(k_ecdh);
    SecretBytes ephemeral(32);
    VOLBACK_TRY(random_bytes(ephemeral.span()));
    const Bytes32 share = x25519_base(ephemeral.span());
    VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(ephemeral.span(), recipient.ecdh_point));
    VOLBACK_TRY_ASSIGN(const auto kek, ecdh_kek(recipient, shared));
    // PKCS #5 padding to a multiple of 8 bytes (RFC 6637 §8).
    std::string padded = payload;
    const std::size_t pad = 8 - padded.size() % 8;
    padded.append(pad, static_cast<char>(pad));
    VOLBACK_TRY_ASSIGN(const auto wrapped, aes_key_wrap(kek.span(), as_uchars(padded)));
    std::string point = "\x40";
    point += as_chars(share);
    put_mpi(body, point);
    body += static_cast<char>(wrapped.size());
    body += wrapped;
  } else {
    return util::fail(util::ErrorKind::invalid_argument, "volback encrypts only to RSA and cv25519 keys");
  }
  std::string packet;
  put_packet_header(packet, PgpTag::pkesk, body.size());
  packet += body;
  return packet;
}

util::Result<PgpSessionKey> open_skesk(std::string_view body, std::string_view passphrase) {
  PgpReader reader(body);
  const auto version = reader.u8();
  const auto cipher_id = reader.u8();
  if (!version || !cipher_id) {
    return util::fail(corrupt("a passphrase packet (SKESK) is truncated"));
  }
  if (*version != 4) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("a version {} passphrase packet: volback reads version 4 (GnuPG 2.2's)", *version));
  }
  const auto cipher = pgp_cipher(*cipher_id);
  if (!cipher) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the passphrase packet uses cipher {}, which volback does not support", *cipher_id));
  }
  VOLBACK_TRY_ASSIGN(const auto s2k, read_s2k(reader));
  VOLBACK_TRY_ASSIGN(auto key, s2k.derive(passphrase, key_size(*cipher)));
  if (reader.empty()) {
    return PgpSessionKey{*cipher, std::move(key)};
  }
  // An encrypted session key: CFB with a zero IV, its first byte the session cipher.
  const auto esk = reader.rest();
  const std::array<unsigned char, k_block_size> iv{};
  VOLBACK_TRY_ASSIGN(auto cfb, CfbCipher::create(*cipher, key.span(), iv, CfbCipher::Direction::decrypt));
  SecretBytes plain(esk.size());
  VOLBACK_TRY(cfb.update(as_uchars(esk), plain.span()));
  const auto session_cipher = pgp_cipher(plain.data()[0]);
  if (!session_cipher || plain.size() - 1 != key_size(*session_cipher)) {
    // A wrong passphrase decrypts to noise.
    return util::fail(util::ErrorKind::auth, "the passphrase does not open the passphrase packet");
  }
  return PgpSessionKey{*session_cipher, SecretBytes(plain.span().subspan(1))};
}

util::Result<PgpPkeskInfo> pkesk_info(std::string_view body) {
  PgpReader reader(body);
  const auto version = reader.u8();
  const auto id = reader.bytes(8);
  const auto algorithm = reader.u8();
  if (!version || !id || !algorithm) {
    return util::fail(corrupt("a public-key packet (PKESK) is truncated"));
  }
  if (*version != 3) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("a version {} public-key packet: volback reads version 3 (GnuPG 2.2's)", *version));
  }
  PgpPkeskInfo info;
  for (const char c : *id) {
    info.key_id = (info.key_id << 8) | static_cast<unsigned char>(c);
  }
  info.algorithm = *algorithm;
  return info;
}

util::Result<PgpSessionKey> open_pkesk(std::string_view body, const PgpPublicKey& key,
                                       const PgpSecretKey::Unlocked& secret) {
  PgpReader reader(body);
  reader.bytes(10);
  if (secret.rsa) {
    const auto c = reader.mpi();
    if (!c) {
      return util::fail(corrupt("a public-key packet (PKESK) is truncated"));
    }
    VOLBACK_TRY_ASSIGN(const auto payload, secret.rsa->decrypt_pkcs1(*c));
    return parse_session_payload(payload.span());
  }
  const auto point = reader.mpi();
  const auto size = reader.u8();
  const auto wrapped = size ? reader.bytes(*size) : std::nullopt;
  if (!point || !wrapped || point->size() != 33 || (*point)[0] != '\x40') {
    return util::fail(corrupt("an ECDH public-key packet (PKESK) is malformed"));
  }
  VOLBACK_TRY_ASSIGN(const Bytes32 shared, x25519(secret.ecdh_scalar.span(), as_uchars(point->substr(1))));
  VOLBACK_TRY_ASSIGN(const auto kek, ecdh_kek(key, shared));
  VOLBACK_TRY_ASSIGN(const auto padded, aes_key_unwrap(kek.span(), as_uchars(*wrapped)));
  const std::size_t pad = padded.empty() ? 0 : padded.data()[padded.size() - 1];
  if (pad == 0 || pad > 8 || pad >= padded.size()) {
    return util::fail(corrupt("the ECDH session key's padding is malformed"));
  }
  for (std::size_t i = padded.size() - pad; i < padded.size(); ++i) {
    if (padded.data()[i] != pad) {
      return util::fail(corrupt("the ECDH session key's padding is malformed"));
    }
  }
  return parse_session_payload(padded.span().first(padded.size() - pad));
}

}  // namespace volback::crypto
