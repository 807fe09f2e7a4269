#include <volback/crypto/age_stream.hpp>

#include <cstring>
#include <map>

#include <fmt/format.h>

#include <volback/crypto/age_header.hpp>

namespace volback::crypto {

namespace {

constexpr std::size_t k_nonce_size = 16;
constexpr std::size_t k_tag_size = ChaCha20Poly1305::k_tag_size;
constexpr std::size_t k_encrypted_chunk_size = k_age_chunk_size + k_tag_size;

using Nonce = std::array<unsigned char, ChaCha20Poly1305::k_nonce_size>;

// STREAM's nonce: the chunk counter big-endian in 11 bytes, then the last-chunk flag.
Nonce chunk_nonce(std::uint64_t counter, bool last) {
  Nonce nonce{};
  for (int i = 0; i < 8; ++i) {
    nonce[10 - i] = static_cast<unsigned char>(counter >> (8 * i));
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

util::Result<SecretBytes> header_key(const SecretBytes& file_key) {
  return hkdf_sha256(file_key.span(), "", "header", 32);
}

util::Result<ChaCha20Poly1305> payload_aead(const SecretBytes& file_key, std::string_view nonce) {
  VOLBACK_TRY_ASSIGN(const auto key, hkdf_sha256(file_key.span(), nonce, "payload", 32));
  return ChaCha20Poly1305::create(key.span());
}

class AgeEncryptSink final : public io::Sink {
 public:
  AgeEncryptSink(AgeRecipients recipients, io::Sink& next) : m_recipients(std::move(recipients)), m_next(next) {
    m_plain.reserve(k_age_chunk_size);
    m_out.resize(k_encrypted_chunk_size);
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(start());
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t left = data.size();
    while (left > 0) {
      // A full chunk is sealed only once more data comes: the last chunk is flagged.
      if (m_plain.size() == k_age_chunk_size) {
        VOLBACK_TRY(seal(false));
      }
      const std::size_t n = std::min(left, k_age_chunk_size - m_plain.size());
      m_plain.insert(m_plain.end(), in, in + n);
      in += n;
      left -= n;
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(start());
    VOLBACK_TRY(seal(true));
    return m_next.finish();
  }

 private:
  util::Result<void> start() {
    if (m_aead) {
      return {};
    }
    if (m_recipients.empty()) {
      return util::fail(util::ErrorKind::invalid_argument, "age encryption needs at least one recipient");
    }
    SecretBytes file_key(k_age_file_key_size);
    VOLBACK_TRY(random_bytes(file_key.span()));
    std::vector<AgeStanza> stanzas;
    for (const auto& recipient : m_recipients) {
      if (recipient->type() == "scrypt" && m_recipients.size() > 1) {
        return util::fail(util::ErrorKind::invalid_argument, "an age passphrase cannot be combined with recipients");
      }
      VOLBACK_TRY_ASSIGN(auto stanza, recipient->wrap(file_key));
      stanzas.push_back(std::move(stanza));
    }
    VOLBACK_TRY_ASSIGN(const auto mac_key, header_key(file_key));
    const auto mac = hmac_sha256(mac_key.span(), encode_age_header_for_mac(stanzas));
    std::string head = encode_age_header(stanzas, as_chars(mac));
    std::string nonce(k_nonce_size, '\0');
    VOLBACK_TRY(random_bytes({reinterpret_cast<unsigned char*>(nonce.data()), nonce.size()}));
    head += nonce;
    VOLBACK_TRY_ASSIGN(auto aead, payload_aead(file_key, nonce));
    m_aead.emplace(std::move(aead));
    return m_next.write(io::as_bytes(head));
  }

  util::Result<void> seal(bool last) {
    const auto nonce = chunk_nonce(m_counter++, last);
    const std::span<unsigned char> out(m_out.data(), m_plain.size() + k_tag_size);
    VOLBACK_TRY(m_aead->seal(nonce, m_plain, out));
    m_plain.clear();
    return m_next.write(std::as_bytes(out));
  }

  AgeRecipients m_recipients;
  io::Sink& m_next;
  std::optional<ChaCha20Poly1305> m_aead;
  std::vector<unsigned char> m_plain;
  std::vector<unsigned char> m_out;
  std::uint64_t m_counter = 0;
};

std::string describe_types(const std::vector<std::string>& types) {
  std::map<std::string, int> counts;
  for (const auto& type : types) {
    ++counts[type];
  }
  std::string out;
  for (const auto& [type, count] : counts) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", count, type);
  }
  return out.empty() ? std::string("no") : out;
}

}  // namespace

std::unique_ptr<io::Sink> make_age_encryptor(AgeRecipients recipients, io::Sink& next) {
  return std::make_unique<AgeEncryptSink>(std::move(recipients), next);
}

util::Result<std::unique_ptr<AgeDecryptSource>> AgeDecryptSource::open(io::Source& in,
                                                                       const AgeIdentities& identities) {
  std::string buffer;
  std::optional<AgeHeader> header;
  for (;;) {
    VOLBACK_TRY_ASSIGN(header, parse_age_header(buffer));
    if (header) {
      break;
    }
    std::byte chunk[4096];
    VOLBACK_TRY_ASSIGN(const auto n, in.read(chunk));
    if (n == 0) {
      return util::fail(util::ErrorKind::corrupt, "the age header is truncated");
    }
    buffer.append(reinterpret_cast<const char*>(chunk), n);
  }
  std::vector<std::string> types;
  for (const auto& stanza : header->stanzas) {
    types.push_back(stanza.type);
    if (stanza.type == "scrypt" && header->stanzas.size() > 1) {
      return util::fail(util::ErrorKind::corrupt, "the age header has an scrypt stanza beside others");
    }
  }
  std::optional<SecretBytes> file_key;
  for (const auto& identity : identities) {
    VOLBACK_TRY_ASSIGN(file_key, identity->unwrap(header->stanzas));
    if (file_key) {
      break;
    }
  }
  if (!file_key) {
    return util::fail(
      util::ErrorKind::auth,
      fmt::format("no identity given opens the age file (its header has {} recipient stanzas)", describe_types(types)));
  }
  if (file_key->size() != k_age_file_key_size) {
    return util::fail(util::ErrorKind::corrupt, "the age file key is not 16 bytes");
  }
  VOLBACK_TRY_ASSIGN(const auto mac_key, header_key(*file_key));
  const auto mac = hmac_sha256(mac_key.span(), header->mac_input);
  if (!SecretBytes(as_chars(mac)).equals(as_uchars(header->mac))) {
    return util::fail(util::ErrorKind::corrupt, "the age header's MAC does not match: the header was altered");
  }
  std::string rest = buffer.substr(header->size);
  while (rest.size() < k_nonce_size) {
    std::byte chunk[k_nonce_size];
    VOLBACK_TRY_ASSIGN(const auto n, in.read(std::span<std::byte>(chunk, k_nonce_size - rest.size())));
    if (n == 0) {
      return util::fail(util::ErrorKind::corrupt, "the age payload is truncated: its nonce is missing");
    }
    rest.append(reinterpret_cast<const char*>(chunk), n);
  }
  VOLBACK_TRY_ASSIGN(auto aead, payload_aead(*file_key, std::string_view(rest).substr(0, k_nonce_size)));
  auto source = std::unique_ptr<AgeDecryptSource>(
    new AgeDecryptSource(in, std::move(aead), rest.substr(k_nonce_size), header->size + k_nonce_size));
  source->m_stanza_types = std::move(types);
  return source;
}

AgeDecryptSource::AgeDecryptSource(io::Source& in, ChaCha20Poly1305 aead, std::string pending,
                                   std::uint64_t payload_offset)
  : m_in(in), m_aead(std::move(aead)), m_pending(std::move(pending)), m_offset(payload_offset) {
  m_encrypted.resize(k_encrypted_chunk_size);
  m_plain.reserve(k_age_chunk_size);
}

util::Result<std::size_t> AgeDecryptSource::read_in(std::span<unsigned char> buf) {
  if (m_pending_at < m_pending.size()) {
    const auto n = std::min(buf.size(), m_pending.size() - m_pending_at);
    std::memcpy(buf.data(), m_pending.data() + m_pending_at, n);
    m_pending_at += n;
    if (m_pending_at == m_pending.size()) {
      m_pending.clear();
      m_pending_at = 0;
    }
    return n;
  }
  return m_in.read(std::as_writable_bytes(buf));
}

util::Result<void> AgeDecryptSource::next_chunk() {
  // As age's reference reader: a short read is the last chunk; a full one is tried as a
  // middle chunk first, then as a full-length last chunk.
  std::size_t got = 0;
  while (got < m_encrypted.size()) {
    VOLBACK_TRY_ASSIGN(const auto n, read_in(std::span(m_encrypted).subspan(got)));
    if (n == 0) {
      break;
    }
    got += n;
  }
  const std::uint64_t at = m_offset;
  const auto damaged = [&](std::string_view why) {
    return util::Error(
      util::ErrorKind::corrupt,
      fmt::format("damaged age payload: chunk {} (encrypted bytes {}..{}) {}", m_chunk, at, at + got, why));
  };
  if (got == 0) {
    return util::fail(util::ErrorKind::corrupt,
                      m_chunk == 0 ? std::string("the age payload has no chunk")
                                   : fmt::format("the age payload is truncated after chunk {} (at byte {}): its last "
                                                 "chunk is missing",
                                                 m_chunk - 1, at));
  }
  bool last = got < m_encrypted.size();
  if (last && m_chunk > 0 && got == k_tag_size) {
    return util::fail(damaged("is an empty last chunk, which only an empty file may have"));
  }
  if (got < k_tag_size) {
    return util::fail(damaged("is shorter than its authentication tag: the file is truncated"));
  }
  const std::span<const unsigned char> encrypted(m_encrypted.data(), got);
  m_plain.resize(got - k_tag_size);
  auto opened = m_aead.open(chunk_nonce(m_chunk, last), encrypted, m_plain);
  if (!opened && !last && opened.error().kind() == util::ErrorKind::corrupt) {
    last = true;
    opened = m_aead.open(chunk_nonce(m_chunk, true), encrypted, m_plain);
  }
  if (!opened) {
    m_plain.clear();
    if (opened.error().kind() != util::ErrorKind::corrupt) {
      return util::fail(opened.error());
    }
    return util::fail(damaged("failed authentication"));
  }
  m_plain_at = 0;
  ++m_chunk;
  m_offset += got;
  if (last) {
    m_done = true;
    unsigned char probe[1];
    auto more = read_in(probe);
    if (!more) {
      m_error = more.error();
    } else if (*more > 0) {
      m_error = util::Error(util::ErrorKind::corrupt,
                            fmt::format("damaged age payload: data follows its last chunk (at byte {})", m_offset));
    }
  }
  return {};
}

util::Result<std::size_t> AgeDecryptSource::read(std::span<std::byte> buf) {
  while (m_plain_at == m_plain.size()) {
    if (m_done) {
      if (m_error) {
        return util::fail(*m_error);
      }
      return std::size_t{0};
    }
    VOLBACK_TRY(next_chunk());
  }
  const auto n = std::min(buf.size(), m_plain.size() - m_plain_at);
  std::memcpy(buf.data(), m_plain.data() + m_plain_at, n);
  m_plain_at += n;
  return n;
}

}  // namespace volback::crypto
