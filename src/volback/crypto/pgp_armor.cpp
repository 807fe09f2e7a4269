#include <volback/crypto/pgp_armor.hpp>

#include <cstring>

#include <fmt/format.h>

#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::size_t k_max_line = 16 * 1024;

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_blank(std::string_view s) {
  return trim_right(s).empty();
}

void crc24(std::uint32_t& crc, std::string_view data) {
  for (const char c : data) {
    crc ^= static_cast<std::uint32_t>(static_cast<unsigned char>(c)) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if ((crc & 0x1000000) != 0) {
        crc ^= 0x1864CFB;
      }
    }
  }
  crc &= 0xFFFFFF;
}

util::Error armor_error(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("the OpenPGP armor is malformed: {}", why));
}

}  // namespace

util::Result<void> PgpArmorDecoder::flush(std::string& out, bool final) {
  const std::size_t whole = final ? m_pending.size() : m_pending.size() / 4 * 4;
  if (whole == 0) {
    return {};
  }
  const auto decoded = util::base64_decode(std::string_view(m_pending).substr(0, whole), util::Padding::yes);
  if (!decoded) {
    return util::fail(armor_error("the base64 is invalid"));
  }
  crc24(m_crc, *decoded);
  out += *decoded;
  m_pending.erase(0, whole);
  return {};
}

util::Result<bool> PgpArmorDecoder::line(std::string_view text, std::string& out) {
  text = trim_right(text);
  switch (m_state) {
  case State::before:
    if (text.empty()) {
      return false;
    }
    if (!text.starts_with(k_pgp_armor_begin) || !text.ends_with("-----") || text.size() <= 20) {
      return util::fail(armor_error("it does not start with a -----BEGIN PGP ...----- line"));
    }
    m_label = std::string(text.substr(k_pgp_armor_begin.size(), text.size() - k_pgp_armor_begin.size() - 5));
    m_state = State::headers;
    return false;
  case State::headers:
    if (text.empty()) {
      m_state = State::body;
      return false;
    }
    if (text.find(": ") != std::string_view::npos) {
      return false;
    }
    m_state = State::body;  // no blank line after the headers: this is the body
    [[fallthrough]];
  case State::body:
  case State::crc:
    if (text.starts_with("-----END PGP ")) {
      VOLBACK_TRY(flush(out, true));
      if (!m_pending.empty()) {
        return util::fail(armor_error("the base64 is truncated"));
      }
      m_state = State::done;
      return true;
    }
    if (m_state == State::crc) {
      return util::fail(armor_error("there is data after the checksum line"));
    }
    if (text.size() == 5 && text[0] == '=') {
      VOLBACK_TRY(flush(out, true));
      const auto crc = util::base64_decode(text.substr(1), util::Padding::yes);
      if (!crc || crc->size() != 3) {
        return util::fail(armor_error("the checksum line is not base64"));
      }
      const std::uint32_t expected = (std::uint32_t{static_cast<unsigned char>((*crc)[0])} << 16) |
                                     (std::uint32_t{static_cast<unsigned char>((*crc)[1])} << 8) |
                                     static_cast<unsigned char>((*crc)[2]);
      if (expected != m_crc) {
        return util::fail(util::ErrorKind::corrupt, "the OpenPGP armor's CRC-24 does not match: the data is damaged");
      }
      m_state = State::crc;
      return false;
    }
    if (text.empty()) {
      return false;
    }
    m_pending += text;
    if (m_pending.find('=') == std::string::npos) {
      VOLBACK_TRY(flush(out, false));
    }
    return false;
  case State::done: return true;
  }
  return false;
}

util::Result<std::string> dearmor_all(std::string_view text) {
  std::string out;
  int blocks = 0;
  PgpArmorDecoder decoder;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!decoder.started() && is_blank(line)) {
      continue;
    }
    auto done = decoder.line(line, out);
    if (!done) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("armored block {} (line {}): {}", blocks + 1, number, done.error().message()));
    }
    if (*done) {
      ++blocks;
      decoder = PgpArmorDecoder();
    }
  }
  if (decoder.started()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("armored block {} has no -----END PGP ...----- line", blocks + 1));
  }
  if (blocks == 0) {
    return util::fail(util::ErrorKind::invalid_argument, "there is no -----BEGIN PGP ...----- block");
  }
  return out;
}

util::Result<bool> PgpArmorSource::next_line(std::string& line) {
  line.clear();
  for (;;) {
    if (m_in_at == m_in_buffer.size()) {
      if (m_eof) {
        return !line.empty();
      }
      m_in_buffer.resize(16 * 1024);
      VOLBACK_TRY_ASSIGN(const auto n, m_in.read(std::as_writable_bytes(std::span(m_in_buffer))));
      m_in_buffer.resize(n);
      m_in_at = 0;
      if (n == 0) {
        m_eof = true;
        continue;
      }
    }
    const auto end = m_in_buffer.find('\n', m_in_at);
    const auto stop = end == std::string::npos ? m_in_buffer.size() : end;
    line.append(m_in_buffer, m_in_at, stop - m_in_at);
    if (line.size() > k_max_line) {
      return util::fail(armor_error("a line is longer than 16 KiB"));
    }
    m_in_at = end == std::string::npos ? stop : end + 1;
    if (end != std::string::npos) {
      return true;
    }
  }
}

util::Result<std::size_t> PgpArmorSource::read(std::span<std::byte> buf) {
  std::string line;
  while (m_out_at == m_out.size()) {
    m_out.clear();
    m_out_at = 0;
    VOLBACK_TRY_ASSIGN(const bool got, next_line(line));
    if (m_done) {
      if (!got) {
        return std::size_t{0};
      }
      if (!is_blank(line)) {
        return util::fail(armor_error("there is data after the END line"));
      }
      continue;
    }
    if (!got) {
      return util::fail(armor_error(m_decoder.started() ? "there is no END line" : "there is no BEGIN line"));
    }
    VOLBACK_TRY_ASSIGN(m_done, m_decoder.line(line, m_out));
  }
  const auto n = std::min(buf.size(), m_out.size() - m_out_at);
  std::memcpy(buf.data(), m_out.data() + m_out_at, n);
  m_out_at += n;
  return n;
}

}  // namespace volback::crypto
