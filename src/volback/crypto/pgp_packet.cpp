#include <volback/crypto/pgp_packet.hpp>

#include <cstring>

#include <fmt/format.h>

namespace volback::crypto {

namespace {

util::Error truncated(std::string_view what) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("the OpenPGP data is truncated: {}", what));
}

}  // namespace

// ByteStream ------------------------------------------------------------------------------

util::Result<bool> ByteStream::fill() {
  if (m_at < m_end) {
    return true;
  }
  VOLBACK_TRY_ASSIGN(const auto n, m_in.read(m_buffer));
  m_at = 0;
  m_end = n;
  return n > 0;
}

util::Result<std::optional<std::uint8_t>> ByteStream::byte() {
  VOLBACK_TRY_ASSIGN(const bool more, fill());
  if (!more) {
    return std::optional<std::uint8_t>{};
  }
  ++m_offset;
  return std::optional<std::uint8_t>(static_cast<std::uint8_t>(m_buffer[m_at++]));
}

util::Result<std::size_t> ByteStream::read(std::span<std::byte> out) {
  if (out.empty()) {
    return std::size_t{0};
  }
  if (m_at == m_end && out.size() >= m_buffer.size()) {
    // Large reads go straight to the source.
    VOLBACK_TRY_ASSIGN(const auto n, m_in.read(out));
    m_offset += n;
    return n;
  }
  VOLBACK_TRY_ASSIGN(const bool more, fill());
  if (!more) {
    return std::size_t{0};
  }
  const auto n = std::min(out.size(), m_end - m_at);
  std::memcpy(out.data(), m_buffer.data() + m_at, n);
  m_at += n;
  m_offset += n;
  return n;
}

util::Result<std::string> ByteStream::exact(std::size_t n, std::string_view what) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    VOLBACK_TRY_ASSIGN(const auto r, read(std::as_writable_bytes(std::span(out)).subspan(got)));
    if (r == 0) {
      return util::fail(truncated(what));
    }
    got += r;
  }
  return out;
}

// Headers ---------------------------------------------------------------------------------

namespace {

// A new-format length after its first octet `first`.
util::Result<void> new_length(ByteStream& in, std::uint8_t first, std::uint64_t& length, bool& partial) {
  partial = false;
  if (first < 192) {
    length = first;
  } else if (first < 224) {
    VOLBACK_TRY_ASSIGN(const auto second, in.byte());
    if (!second) {
      return util::fail(truncated("a packet length"));
    }
    length = ((std::uint64_t{first} - 192) << 8) + *second + 192;
  } else if (first < 255) {
    length = std::uint64_t{1} << (first & 0x1f);
    partial = true;
  } else {
    length = 0;
    for (int i = 0; i < 4; ++i) {
      VOLBACK_TRY_ASSIGN(const auto b, in.byte());
      if (!b) {
        return util::fail(truncated("a packet length"));
      }
      length = (length << 8) | *b;
    }
  }
  return {};
}

}  // namespace

util::Result<std::optional<PgpPacketHeader>> read_packet_header(ByteStream& in) {
  VOLBACK_TRY_ASSIGN(const auto first, in.byte());
  if (!first) {
    return std::optional<PgpPacketHeader>{};
  }
  if ((*first & 0x80) == 0) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("not an OpenPGP packet at byte {} (0x{:02x})", in.offset() - 1, *first));
  }
  PgpPacketHeader header;
  if ((*first & 0x40) != 0) {
    header.raw_tag = *first & 0x3f;
    VOLBACK_TRY_ASSIGN(const auto len, in.byte());
    if (!len) {
      return util::fail(truncated("a packet header"));
    }
    VOLBACK_TRY(new_length(in, *len, header.length, header.partial));
  } else {
    header.raw_tag = (*first >> 2) & 0x0f;
    const int type = *first & 0x03;
    if (type == 3) {
      header.indeterminate = true;
    } else {
      const int bytes = type == 0 ? 1 : type == 1 ? 2 : 4;
      for (int i = 0; i < bytes; ++i) {
        VOLBACK_TRY_ASSIGN(const auto b, in.byte());
        if (!b) {
          return util::fail(truncated("a packet header"));
        }
        header.length = (header.length << 8) | *b;
      }
    }
  }
  header.tag = static_cast<PgpTag>(header.raw_tag);
  return std::optional<PgpPacketHeader>(header);
}

// PgpBodySource ---------------------------------------------------------------------------

PgpBodySource::PgpBodySource(ByteStream& in, const PgpPacketHeader& header)
  : m_in(in), m_left(header.length), m_partial(header.partial), m_indeterminate(header.indeterminate) {}

util::Result<std::size_t> PgpBodySource::read(std::span<std::byte> buf) {
  if (m_indeterminate) {
    return m_in.read(buf);
  }
  while (m_left == 0) {
    if (!m_partial) {
      return std::size_t{0};
    }
    VOLBACK_TRY_ASSIGN(const auto first, m_in.byte());
    if (!first) {
      return util::fail(truncated("a partial packet body"));
    }
    VOLBACK_TRY(new_length(m_in, *first, m_left, m_partial));
  }
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), m_left));
  VOLBACK_TRY_ASSIGN(const auto n, m_in.read(buf.first(want)));
  if (n == 0) {
    return util::fail(truncated("a packet body"));
  }
  m_left -= n;
  return n;
}

util::Result<std::string> read_body(ByteStream& in, const PgpPacketHeader& header, std::size_t limit) {
  PgpBodySource body(in, header);
  std::string out;
  std::byte buffer[4096];
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto n, body.read(buffer));
    if (n == 0) {
      return out;
    }
    out.append(reinterpret_cast<const char*>(buffer), n);
    if (out.size() > limit) {
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("an OpenPGP packet of type {} is longer than {} bytes", header.raw_tag, limit));
    }
  }
}

// PgpReader -------------------------------------------------------------------------------

std::optional<std::string_view> PgpReader::mpi() {
  const auto bits = u16();
  if (!bits) {
    return std::nullopt;
  }
  return bytes((std::size_t{*bits} + 7) / 8);
}

// Writing ---------------------------------------------------------------------------------

void put_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value);
}

void put_u32(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value >> 24);
  out += static_cast<char>(value >> 16);
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value);
}

void put_length(std::string& out, std::uint64_t length) {
  if (length < 192) {
    out += static_cast<char>(length);
  } else if (length < 8384) {
    const auto v = length - 192;
    out += static_cast<char>((v >> 8) + 192);
    out += static_cast<char>(v & 0xff);
  } else {
    out += static_cast<char>(0xff);
    put_u32(out, static_cast<std::uint32_t>(length));
  }
}

void put_packet_header(std::string& out, PgpTag tag, std::uint64_t length) {
  out += static_cast<char>(0xC0 | static_cast<std::uint8_t>(tag));
  put_length(out, length);
}

void put_mpi(std::string& out, std::string_view value) {
  while (!value.empty() && value[0] == '\0') {
    value.remove_prefix(1);
  }
  std::uint16_t bits = 0;
  if (!value.empty()) {
    unsigned top = static_cast<unsigned char>(value[0]);
    unsigned top_bits = 0;
    while (top != 0) {
      ++top_bits;
      top >>= 1;
    }
    bits = static_cast<std::uint16_t>((value.size() - 1) * 8 + top_bits);
  }
  put_u16(out, bits);
  out += value;
}

}  // namespace volback::crypto
