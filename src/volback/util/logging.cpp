#include <volback/util/logging.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <volback/util/redact.hpp>

namespace volback::util {

namespace {

std::string_view level_name_of(LogLevel level) {
  switch (level) {
  case LogLevel::debug: return "DEBUG";
  case LogLevel::info: return "INFO";
  case LogLevel::warn: return "WARN";
  case LogLevel::error: return "ERROR";
  }
  return "INFO";
}

// One decoded UTF-8 sequence; `rune` is -1 for an invalid byte (width 1), as Go's
// utf8.DecodeRuneInString reports RuneError.
struct Decoded {
  char32_t rune;
  std::size_t width;
  bool valid;
};

Decoded decode_utf8(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    return {b0, 1, true};
  }
  std::size_t width = 0;
  char32_t rune = 0;
  char32_t min = 0;
  if ((b0 & 0xE0U) == 0xC0U) {
    width = 2;
    rune = b0 & 0x1FU;
    min = 0x80;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    width = 3;
    rune = b0 & 0x0FU;
    min = 0x800;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    width = 4;
    rune = b0 & 0x07U;
    min = 0x10000;
  } else {
    return {0xFFFD, 1, false};
  }
  if (s.size() < width) {
    return {0xFFFD, 1, false};
  }
  for (std::size_t i = 1; i < width; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0U) != 0x80U) {
      return {0xFFFD, 1, false};
    }
    rune = (rune << 6) | (b & 0x3FU);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    return {0xFFFD, 1, false};
  }
  return {rune, width, true};
}

// Go's unicode.IsPrint for non-ASCII runes, approximated by the code points that are
// not printable in practice: C1 controls, every space except U+0020, line and paragraph
// separators, format characters (soft hyphen, zero-width and bidi marks, BOM, ...),
// private use areas and noncharacters. Unassigned code points count as printable.
bool is_printable_non_ascii(char32_t r) {
  struct Range {
    char32_t first;
    char32_t last;
  };
  static constexpr Range k_not_printable[] = {
    {0x0080, 0x00A0},   {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},    {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x08E2, 0x08E2},   {0x1680, 0x1680},   {0x180E, 0x180E},    {0x2000, 0x200F},
    {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0xFFFE, 0xFFFF},   {0x110BD, 0x110BD},  {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const auto& range : k_not_printable) {
    if (r >= range.first && r <= range.last) {
      return false;
    }
  }
  return true;
}

// slog's needsQuoting: empty strings, and strings with a space, '=', '"', an ASCII
// control character, invalid UTF-8, U+FFFD, a Unicode space or a non-printing rune.
// DEL and the backslash alone do not force quoting.
bool needs_quoting(std::string_view s) {
  if (s.empty()) {
    return true;
  }
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == ' ' || c == '=' || c == '"' || c < 0x20) {
        return true;
      }
      ++i;
      continue;
    }
    const Decoded d = decode_utf8(s.substr(i));
    if (!d.valid || d.rune == 0xFFFD || !is_printable_non_ascii(d.rune)) {
      return true;
    }
    i += d.width;
  }
  return false;
}

// Go's strconv.Quote.
void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const Decoded d = decode_utf8(s.substr(i));
      if (!d.valid) {
        out += fmt::format("\\x{:02x}", c);
      } else if (is_printable_non_ascii(d.rune)) {
        out.append(s.substr(i, d.width));
      } else if (d.rune < 0x10000) {
        out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(d.rune));
      } else {
        out += fmt::format("\\U{:08x}", static_cast<std::uint32_t>(d.rune));
      }
      i += d.width;
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\a': out += "\\a"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\v': out += "\\v"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        out += fmt::format("\\x{:02x}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    ++i;
  }
  out += '"';
}

void append_value(std::string& out, std::string_view s) {
  if (needs_quoting(s)) {
    append_quoted(out, s);
  } else {
    out += s;
  }
}

}  // namespace

Result<LogLevel> parse_log_level(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "debug")
    return LogLevel::debug;
  if (lower == "info")
    return LogLevel::info;
  if (lower == "warn" || lower == "warning")
    return LogLevel::warn;
  if (lower == "error")
    return LogLevel::error;
  return fail(ErrorKind::invalid_argument, fmt::format("\"{}\" is not a log level (debug, info, warn, error)", text));
}

std::string format_slog_text(TimePoint time, const TimeZone& zone, LogLevel level, std::string_view message,
                             std::span<const LogField> fields) {
  std::string line = "time=" + format_rfc3339(time, zone, Fraction::milliseconds);
  line += " level=";
  line += log_level_name(level);
  line += " msg=";
  append_value(line, message);
  for (const auto& field : fields) {
    line += ' ';
    append_value(line, field.key);  // slog quotes keys by the same rule
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

std::string_view log_level_name(LogLevel level) {
  return level_name_of(level);
}

LineLogger::LineLogger(std::FILE* out, LogLevel min_level, const Clock& clock, TimeZone zone, LineFormatter format)
  : m_out(out), m_min_level(min_level), m_clock(clock), m_zone(std::move(zone)), m_format(format) {}

void LineLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  const auto holds_url = [](std::string_view s) { return s.find("://") != std::string_view::npos; };
  bool redact = holds_url(message);
  for (const auto& field : fields) {
    redact = redact || holds_url(field.value);
  }
  std::string line;
  if (redact) {
    std::vector<LogField> redacted;
    redacted.reserve(fields.size());
    for (const auto& field : fields) {
      redacted.emplace_back(field.key, redact_url_userinfo(field.value));
    }
    line = m_format(m_clock.now(), m_zone, level, redact_url_userinfo(message), redacted);
  } else {
    line = m_format(m_clock.now(), m_zone, level, message, fields);
  }
  line += '\n';
  const std::lock_guard lock(m_mutex);
  std::fwrite(line.data(), 1, line.size(), m_out);
  std::fflush(m_out);
}

void CapturingLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  std::string line = format_slog_text(TimePoint{}, TimeZone::utc(), level, message, fields);
  const std::lock_guard lock(m_mutex);
  m_text += line;
  m_text += '\n';
}

std::string CapturingLogger::text() const {
  const std::lock_guard lock(m_mutex);
  return m_text;
}

}  // namespace volback::util
