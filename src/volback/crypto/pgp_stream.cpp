#include <volback/crypto/pgp_stream.hpp>

#include <zlib.h>

#include <cstring>

#include <fmt/format.h>

#include <volback/crypto/pgp_packet.hpp>
#include <volback/crypto/pgp_session.hpp>

namespace volback::crypto {

namespace {

constexpr unsigned k_part_exponent = 16;
constexpr std::size_t k_part = std::size_t{1} << k_part_exponent;
constexpr std::size_t k_prefix = k_block_size + 2;
constexpr std::size_t k_mdc_packet = 22;  // 0xD3 0x14 and the SHA-1
constexpr Cipher k_cipher = Cipher::aes256;
constexpr std::size_t k_max_esk_packet = 64 * 1024;

std::span<const unsigned char> uchars(const std::string& s) {
  return as_uchars(s);
}

// Writing -------------------------------------------------------------------------------

class PgpEncryptSink final : public io::Sink {
 public:
  PgpEncryptSink(PgpEncryption encryption, io::Sink& next) : m_encryption(std::move(encryption)), m_next(next) {}

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(start());
    const auto* in = reinterpret_cast<const char*>(data.data());
    std::size_t left = data.size();
    while (left > 0) {
      if (m_literal.size() == k_part) {
        VOLBACK_TRY(literal_part());  // a full part, and more follows: never a zero-length last part
      }
      const std::size_t n = std::min(left, k_part - m_literal.size());
      m_literal.append(in, n);
      in += n;
      left -= n;
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(start());
    std::string last;
    if (!m_literal_tagged) {
      last += static_cast<char>(0xC0 | static_cast<std::uint8_t>(PgpTag::literal));
    }
    put_length(last, m_literal.size());
    VOLBACK_TRY(plain(last));
    VOLBACK_TRY(plain(m_literal));
    m_literal.clear();
    VOLBACK_TRY(plain(std::string_view("\xD3\x14", 2)));
    const std::string digest = m_mdc->final();
    VOLBACK_TRY(encrypt(digest));
    VOLBACK_TRY(flush_parts());
    std::string tail;
    put_length(tail, m_cipher.size());
    tail += m_cipher;
    VOLBACK_TRY(m_next.write(io::as_bytes(tail)));
    return m_next.finish();
  }

 private:
  util::Result<void> start() {
    if (m_cfb) {
      return {};
    }
    std::string head;
    PgpSessionKey session;
    if (!m_encryption.recipients.empty()) {
      session.cipher = k_cipher;
      session.key = SecretBytes(key_size(k_cipher));
      VOLBACK_TRY(random_bytes(session.key.span()));
      for (const auto& recipient : m_encryption.recipients) {
        VOLBACK_TRY_ASSIGN(const auto packet, make_pkesk(recipient, session));
        head += packet;
      }
    } else if (m_encryption.passphrase) {
      VOLBACK_TRY_ASSIGN(auto skesk, make_skesk(m_encryption.passphrase->view(), k_cipher));
      head += skesk.packet;
      session = std::move(skesk.session);
    } else {
      return util::fail(util::ErrorKind::invalid_argument, "OpenPGP encryption needs a passphrase or a recipient");
    }
    head += static_cast<char>(0xC0 | static_cast<std::uint8_t>(PgpTag::seipd));
    VOLBACK_TRY(m_next.write(io::as_bytes(head)));
    const std::array<unsigned char, k_block_size> iv{};
    VOLBACK_TRY_ASSIGN(auto cfb, CfbCipher::create(k_cipher, session.key.span(), iv, CfbCipher::Direction::encrypt));
    m_cfb.emplace(std::move(cfb));
    m_mdc = std::make_unique<Digest>(Hash::sha1);
    m_cipher = "\x01";  // SEIPD version 1
    std::string prefix(k_prefix, '\0');
    VOLBACK_TRY(random_bytes({reinterpret_cast<unsigned char*>(prefix.data()), k_block_size}));
    prefix[k_block_size] = prefix[k_block_size - 2];
    prefix[k_block_size + 1] = prefix[k_block_size - 1];
    VOLBACK_TRY(plain(prefix));
    // The literal packet's fields: binary, no file name, no date.
    m_literal.reserve(k_part);
    m_literal.assign("b\0\0\0\0\0", 6);
    return {};
  }

  util::Result<void> literal_part() {
    std::string header;
    if (!m_literal_tagged) {
      header += static_cast<char>(0xC0 | static_cast<std::uint8_t>(PgpTag::literal));
      m_literal_tagged = true;
    }
    header += static_cast<char>(partial_length_byte(k_part_exponent));
    VOLBACK_TRY(plain(header));
    VOLBACK_TRY(plain(m_literal));
    m_literal.clear();
    return flush_parts();
  }

  // Plaintext into the MDC and the cipher.
  util::Result<void> plain(std::string_view data) {
    m_mdc->update(data);
    return encrypt(data);
  }

  util::Result<void> encrypt(std::string_view data) {
    const std::size_t at = m_cipher.size();
    m_cipher.resize(at + data.size());
    return m_cfb->update(as_uchars(data), {reinterpret_cast<unsigned char*>(m_cipher.data() + at), data.size()});
  }

  // Writes whole parts while more than a part is pending (the rest goes last, definite).
  util::Result<void> flush_parts() {
    std::size_t at = 0;
    while (m_cipher.size() - at > k_part) {
      const char length = static_cast<char>(partial_length_byte(k_part_exponent));
      VOLBACK_TRY(m_next.write(io::as_bytes(std::string_view(&length, 1))));
      VOLBACK_TRY(m_next.write(io::as_bytes(std::string_view(m_cipher).substr(at, k_part))));
      at += k_part;
    }
    m_cipher.erase(0, at);
    return {};
  }

  PgpEncryption m_encryption;
  io::Sink& m_next;
  std::optional<CfbCipher> m_cfb;
  std::unique_ptr<Digest> m_mdc;
  std::string m_literal;  // literal body not yet encrypted
  bool m_literal_tagged = false;
  std::string m_cipher;  // SEIPD body not yet written
};

// Reading -------------------------------------------------------------------------------

// The plaintext of the SEIPD body, the MDC packet at its end held back and checked.
class MdcSource final : public io::Source {
 public:
  MdcSource(io::Source& body, CfbCipher cfb, std::string_view prefix) : m_body(body), m_cfb(std::move(cfb)) {
    m_sha1.update(prefix);
    m_data.resize(k_part + k_mdc_packet);
  }

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    for (;;) {
      const std::size_t held = m_end - m_at;
      if (held > k_mdc_packet) {
        const std::size_t n = std::min(buf.size(), held - k_mdc_packet);
        std::memcpy(buf.data(), m_data.data() + m_at, n);
        m_sha1.update({m_data.data() + m_at, n});
        m_at += n;
        return n;
      }
      if (m_eof) {
        return check();
      }
      // Move the held-back bytes to the front and decrypt more behind them.
      std::memmove(m_data.data(), m_data.data() + m_at, held);
      m_at = 0;
      m_end = held;
      const std::span<unsigned char> room(m_data.data() + m_end, m_data.size() - m_end);
      VOLBACK_TRY_ASSIGN(const auto n, m_body.read(std::as_writable_bytes(room)));
      if (n == 0) {
        m_eof = true;
        continue;
      }
      VOLBACK_TRY(m_cfb.update(room.first(n), room.first(n)));
      m_end += n;
    }
  }

 private:
  util::Result<std::size_t> check() {
    if (m_checked) {
      return std::size_t{0};
    }
    const std::span<const unsigned char> tail(m_data.data() + m_at, m_end - m_at);
    if (tail.size() != k_mdc_packet || tail[0] != 0xD3 || tail[1] != 0x14) {
      return util::fail(util::ErrorKind::corrupt,
                        "the OpenPGP message is truncated or damaged: its integrity check (MDC) is missing");
    }
    m_sha1.update(tail.first(2));
    const std::string digest = m_sha1.final();
    if (!SecretBytes(digest).equals(tail.subspan(2))) {
      return util::fail(util::ErrorKind::corrupt,
                        "the OpenPGP message is damaged: its integrity check (MDC) does not match");
    }
    m_checked = true;
    return std::size_t{0};
  }

  io::Source& m_body;
  CfbCipher m_cfb;
  Digest m_sha1{Hash::sha1};
  std::vector<unsigned char> m_data;
  std::size_t m_at = 0;
  std::size_t m_end = 0;
  bool m_eof = false;
  bool m_checked = false;
};

// zlib inflate over a Source: raw deflate (OpenPGP's ZIP) or zlib (ZLIB).
class InflateSource final : public io::Source {
 public:
  InflateSource(io::Source& in, int window_bits) : m_in(in) {
    m_ok = inflateInit2(&m_zs, window_bits) == Z_OK;
    m_input.resize(16 * 1024);
  }
  ~InflateSource() override { inflateEnd(&m_zs); }

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (!m_ok) {
      return util::fail(util::ErrorKind::permanent, "zlib cannot start (out of memory)");
    }
    while (!m_done) {
      if (m_zs.avail_in == 0) {
        VOLBACK_TRY_ASSIGN(const auto n, m_in.read(std::as_writable_bytes(std::span(m_input))));
        if (n == 0) {
          return util::fail(util::ErrorKind::corrupt, "the compressed data inside the OpenPGP message is truncated");
        }
        m_zs.next_in = m_input.data();
        m_zs.avail_in = static_cast<uInt>(n);
      }
      m_zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      m_zs.avail_out = static_cast<uInt>(std::min<std::size_t>(buf.size(), 1 << 30));
      const int rc = inflate(&m_zs, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        m_done = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return util::fail(util::ErrorKind::corrupt, "the compressed data inside the OpenPGP message is damaged");
      }
      const std::size_t produced = buf.size() - m_zs.avail_out;
      if (produced > 0) {
        return produced;
      }
    }
    return std::size_t{0};
  }

 private:
  io::Source& m_in;
  z_stream m_zs{};
  bool m_ok = false;
  bool m_done = false;
  std::vector<unsigned char> m_input;
};

util::Result<std::string> read_exact(io::Source& in, std::size_t n, std::string_view what) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    VOLBACK_TRY_ASSIGN(const auto r, in.read(std::as_writable_bytes(std::span(out)).subspan(got)));
    if (r == 0) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("the OpenPGP message is truncated: {}", what));
    }
    got += r;
  }
  return out;
}

util::Result<void> drain(io::Source& in) {
  std::byte buffer[16 * 1024];
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto n, in.read(buffer));
    if (n == 0) {
      return {};
    }
  }
}

util::Error not_encrypted(std::uint8_t tag) {
  return util::Error(util::ErrorKind::corrupt,
                     fmt::format("the OpenPGP message is not encrypted as volback reads it (packet type {} before "
                                 "any encrypted data)",
                                 tag));
}

}  // namespace

std::unique_ptr<io::Sink> make_pgp_encryptor(PgpEncryption encryption, io::Sink& next) {
  return std::make_unique<PgpEncryptSink>(std::move(encryption), next);
}

struct PgpDecryptSource::Layers {
  explicit Layers(io::Source& raw) : outer(raw) {}
  ByteStream outer;
  std::optional<PgpBodySource> seipd;
  std::optional<MdcSource> plain;
  std::optional<ByteStream> inner;
  std::optional<PgpBodySource> compressed;
  std::optional<InflateSource> inflate;
  std::optional<ByteStream> decompressed;
  ByteStream* packets = nullptr;  // where the literal packet is: inner or decompressed
  std::optional<PgpBodySource> literal;
  bool finished = false;

  util::Result<void> find_literal();
  util::Result<void> finish();
};

util::Result<void> PgpDecryptSource::Layers::find_literal() {
  packets = &*inner;
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto header, read_packet_header(*packets));
    if (!header) {
      return util::fail(util::ErrorKind::corrupt, "the OpenPGP message holds no literal data");
    }
    switch (header->tag) {
    case PgpTag::compressed: {
      if (packets != &*inner) {
        return util::fail(util::ErrorKind::corrupt, "the OpenPGP message is compressed twice");
      }
      compressed.emplace(*inner, *header);
      VOLBACK_TRY_ASSIGN(const auto algorithm, read_exact(*compressed, 1, "the compression algorithm"));
      switch (algorithm[0]) {
      case 0: decompressed.emplace(*compressed); break;
      case 1: decompressed.emplace(inflate.emplace(*compressed, -15)); break;
      case 2: decompressed.emplace(inflate.emplace(*compressed, 15)); break;
      case 3:
        return util::fail(util::ErrorKind::invalid_argument,
                          "the OpenPGP message is compressed with BZip2, which volback does not read (encrypt "
                          "with --compress-algo none, zip or zlib)");
      default: return util::fail(util::ErrorKind::corrupt, "the OpenPGP message uses an unknown compression algorithm");
      }
      packets = &*decompressed;
      break;
    }
    case PgpTag::one_pass_signature:
    case PgpTag::signature:
    case PgpTag::marker: VOLBACK_TRY(read_body(*packets, *header, k_max_esk_packet)); break;
    case PgpTag::literal: {
      literal.emplace(*packets, *header);
      VOLBACK_TRY_ASSIGN(const auto fields, read_exact(*literal, 2, "the literal data packet"));
      VOLBACK_TRY(read_exact(*literal, static_cast<unsigned char>(fields[1]) + 4u, "the literal data packet"));
      return {};
    }
    default:
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("unexpected packet type {} inside the encrypted OpenPGP data", header->raw_tag));
    }
  }
}

util::Result<void> PgpDecryptSource::Layers::finish() {
  // What may follow the literal data: signatures. Then the end of every layer, which
  // makes the MDC's check run, and nothing after the encrypted packet.
  const auto skip_rest = [](ByteStream& stream) -> util::Result<void> {
    for (;;) {
      VOLBACK_TRY_ASSIGN(const auto header, read_packet_header(stream));
      if (!header) {
        return {};
      }
      if (header->tag != PgpTag::signature && header->tag != PgpTag::marker) {
        return util::fail(util::ErrorKind::corrupt,
                          fmt::format("unexpected packet type {} after the literal data", header->raw_tag));
      }
      VOLBACK_TRY(read_body(stream, *header, k_max_esk_packet));
    }
  };
  VOLBACK_TRY(skip_rest(*packets));
  if (decompressed && packets == &*decompressed) {
    VOLBACK_TRY(drain(*compressed));
    VOLBACK_TRY(skip_rest(*inner));
  }
  VOLBACK_TRY(drain(*plain));  // the MDC, checked
  VOLBACK_TRY_ASSIGN(const auto after, read_packet_header(outer));
  if (after) {
    return util::fail(util::ErrorKind::corrupt, "there is data after the encrypted OpenPGP message");
  }
  finished = true;
  return {};
}

util::Result<std::unique_ptr<PgpDecryptSource>> PgpDecryptSource::open(io::Source& in, const PgpDecryptionKeys& keys) {
  auto layers = std::make_unique<Layers>(in);
  std::vector<std::string> skesks;
  std::vector<std::string> pkesks;
  std::optional<PgpPacketHeader> seipd;
  while (!seipd) {
    VOLBACK_TRY_ASSIGN(const auto header, read_packet_header(layers->outer));
    if (!header) {
      return util::fail(util::ErrorKind::corrupt, "the OpenPGP message holds no encrypted data");
    }
    switch (header->tag) {
    case PgpTag::pkesk: {
      VOLBACK_TRY_ASSIGN(auto body, read_body(layers->outer, *header, k_max_esk_packet));
      pkesks.push_back(std::move(body));
      break;
    }
    case PgpTag::skesk: {
      VOLBACK_TRY_ASSIGN(auto body, read_body(layers->outer, *header, k_max_esk_packet));
      skesks.push_back(std::move(body));
      break;
    }
    case PgpTag::marker: VOLBACK_TRY(read_body(layers->outer, *header, k_max_esk_packet)); break;
    case PgpTag::seipd: seipd = *header; break;
    case PgpTag::sed:
      return util::fail(util::ErrorKind::invalid_argument,
                        "the OpenPGP message is encrypted without integrity protection (a SED packet), which "
                        "volback refuses to read");
    case PgpTag::aead:
      return util::fail(util::ErrorKind::invalid_argument,
                        "the OpenPGP message uses AEAD packets (GnuPG 2.3 or later with OCB), which volback does "
                        "not read; GnuPG 2.2's format is");
    default: return util::fail(not_encrypted(header->raw_tag));
    }
  }

  // Every session key the keys open; the encrypted data's check bytes pick the right one.
  std::vector<PgpSessionKey> candidates;
  std::vector<std::string> recipients;
  std::optional<util::Error> key_error;
  for (const auto& body : skesks) {
    if (!keys.passphrase) {
      continue;
    }
    auto session = open_skesk(body, keys.passphrase->view());
    if (session) {
      candidates.push_back(std::move(*session));
    } else if (session.error().kind() != util::ErrorKind::auth) {
      return util::fail(session.error());
    }
  }
  for (const auto& body : pkesks) {
    VOLBACK_TRY_ASSIGN(const auto info, pkesk_info(body));
    recipients.push_back(info.key_id == 0 ? std::string("an anonymous recipient") : format_key_id(info.key_id));
    for (const auto& key : keys.secret_keys) {
      if ((info.key_id != 0 && key.public_key().key_id != info.key_id) ||
          key.public_key().algorithm != info.algorithm) {
        continue;
      }
      const auto passphrase =
        keys.secret_key_passphrase ? std::optional<std::string_view>(keys.secret_key_passphrase->view()) : std::nullopt;
      auto unlocked = key.unlock(passphrase);
      if (!unlocked) {
        key_error = unlocked.error();
        continue;
      }
      auto session = open_pkesk(body, key.public_key(), *unlocked);
      if (session) {
        candidates.push_back(std::move(*session));
      } else if (session.error().kind() != util::ErrorKind::corrupt) {
        return util::fail(session.error());
      }
    }
  }

  layers->seipd.emplace(layers->outer, *seipd);
  VOLBACK_TRY_ASSIGN(const auto version, read_exact(*layers->seipd, 1, "the encrypted data packet"));
  if (version[0] != 1) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the encrypted data packet has version {}; volback reads version 1",
                                  static_cast<unsigned char>(version[0])));
  }
  VOLBACK_TRY_ASSIGN(const auto prefix, read_exact(*layers->seipd, k_prefix, "the encrypted data's prefix"));
  for (auto& candidate : candidates) {
    const std::array<unsigned char, k_block_size> iv{};
    VOLBACK_TRY_ASSIGN(auto cfb,
                       CfbCipher::create(candidate.cipher, candidate.key.span(), iv, CfbCipher::Direction::decrypt));
    std::string plain(k_prefix, '\0');
    VOLBACK_TRY(cfb.update(uchars(prefix), {reinterpret_cast<unsigned char*>(plain.data()), plain.size()}));
    if (plain[k_block_size - 2] == plain[k_block_size] && plain[k_block_size - 1] == plain[k_block_size + 1]) {
      layers->plain.emplace(*layers->seipd, std::move(cfb), plain);
      layers->inner.emplace(*layers->plain);
      VOLBACK_TRY(layers->find_literal());
      return std::unique_ptr<PgpDecryptSource>(new PgpDecryptSource(std::move(layers)));
    }
  }

  // Nothing opened it: say what it is encrypted to, and why no key fitted.
  std::string to;
  if (!skesks.empty()) {
    to = "a passphrase";
  }
  if (!recipients.empty()) {
    to += fmt::format("{}the public key{} {}", to.empty() ? "" : " and ", recipients.size() > 1 ? "s" : "",
                      fmt::join(recipients, ", "));
  }
  std::string why;
  if (key_error) {
    why = key_error->message();
  } else if (!skesks.empty() && keys.passphrase) {
    why = "the passphrase is wrong";
  } else if (!recipients.empty() && !keys.secret_keys.empty()) {
    why = "no secret key given is one of them";
  } else {
    why = "no passphrase or secret key for it was given";
  }
  return util::fail(util::ErrorKind::auth, fmt::format("the OpenPGP message is encrypted to {}: {}", to, why));
}

PgpDecryptSource::PgpDecryptSource(std::unique_ptr<Layers> layers) : m_layers(std::move(layers)) {}

PgpDecryptSource::~PgpDecryptSource() = default;

util::Result<std::size_t> PgpDecryptSource::read(std::span<std::byte> buf) {
  if (m_layers->finished) {
    return std::size_t{0};
  }
  VOLBACK_TRY_ASSIGN(const auto n, m_layers->literal->read(buf));
  if (n > 0) {
    return n;
  }
  VOLBACK_TRY(m_layers->finish());
  return std::size_t{0};
}

}  // namespace volback::crypto
