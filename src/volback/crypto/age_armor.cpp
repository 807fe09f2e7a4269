#include <volback/crypto/age_armor.hpp>

#include <cstring>

#include <fmt/format.h>

#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_end = "-----END AGE ENCRYPTED FILE-----";
constexpr std::size_t k_columns = 64;
constexpr std::size_t k_max_space = 1 << 20;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

util::Result<bool> AgeArmorSource::next_byte(char& c) {
  if (m_in_at == m_in_buffer.size()) {
    if (m_in_eof) {
      return false;
    }
    m_in_buffer.resize(16 * 1024);
    VOLBACK_TRY_ASSIGN(const auto n, m_in.read(std::as_writable_bytes(std::span(m_in_buffer))));
    m_in_buffer.resize(n);
    m_in_at = 0;
    if (n == 0) {
      m_in_eof = true;
      return false;
    }
  }
  c = m_in_buffer[m_in_at++];
  return true;
}

util::Result<void> AgeArmorSource::step() {
  const auto armor_error = [&](std::string_view why) {
    return util::Error(util::ErrorKind::corrupt, fmt::format("the age armor is malformed at line {}: {}", m_line, why));
  };
  char c = 0;
  if (m_state == State::before) {
    std::size_t spaces = 0;
    for (;;) {
      VOLBACK_TRY_ASSIGN(const bool got, next_byte(c));
      if (!got) {
        return util::fail(armor_error("there is no BEGIN line"));
      }
      if (!is_space(c)) {
        break;
      }
      if (c == '\n') {
        ++m_line;
      }
      if (++spaces > k_max_space) {
        return util::fail(armor_error("too much white space before the BEGIN line"));
      }
    }
  }
  // One line, without its LF (or CRLF).
  std::string line;
  bool has_end = false;
  if (m_state == State::before) {
    line += c;
  }
  ++m_line;
  for (;;) {
    VOLBACK_TRY_ASSIGN(const bool got, next_byte(c));
    if (!got) {
      break;
    }
    if (c == '\n') {
      has_end = true;
      break;
    }
    if (line.size() > k_columns + 1) {
      return util::fail(armor_error("the line is longer than 64 columns"));
    }
    line += c;
  }
  if (has_end && line.ends_with('\r')) {
    line.pop_back();
  }
  switch (m_state) {
  case State::before:
    if (line != k_age_armor_begin) {
      return util::fail(armor_error("the first line is not -----BEGIN AGE ENCRYPTED FILE-----"));
    }
    if (!has_end) {
      return util::fail(armor_error("the file ends after the BEGIN line"));
    }
    m_state = State::body;
    return {};
  case State::body: {
    if (line == k_end) {
      m_state = State::after;
      // Only white space may follow.
      std::size_t spaces = 0;
      for (;;) {
        VOLBACK_TRY_ASSIGN(const bool got, next_byte(c));
        if (!got) {
          break;
        }
        if (!is_space(c) || ++spaces > k_max_space) {
          return util::fail(armor_error("there is data after the END line"));
        }
      }
      m_state = State::done;
      return {};
    }
    if (!has_end) {
      return util::fail(armor_error("there is no END line"));
    }
    if (m_had_short_line) {
      return util::fail(armor_error("a line shorter than 64 columns is not the last one"));
    }
    if (line.empty() || line.size() > k_columns) {
      return util::fail(armor_error("a base64 line is empty or longer than 64 columns"));
    }
    const auto decoded = util::base64_decode(line, util::Padding::yes);
    if (!decoded) {
      return util::fail(armor_error("the line is not canonical padded base64"));
    }
    m_had_short_line = line.size() < k_columns || line.ends_with('=');
    m_out = *decoded;
    m_out_at = 0;
    return {};
  }
  case State::after:
  case State::done: return {};
  }
  return {};
}

util::Result<std::size_t> AgeArmorSource::read(std::span<std::byte> buf) {
  while (m_out_at == m_out.size()) {
    if (m_state == State::done) {
      return std::size_t{0};
    }
    VOLBACK_TRY(step());
  }
  const auto n = std::min(buf.size(), m_out.size() - m_out_at);
  std::memcpy(buf.data(), m_out.data() + m_out_at, n);
  m_out_at += n;
  return n;
}

}  // namespace volback::crypto
