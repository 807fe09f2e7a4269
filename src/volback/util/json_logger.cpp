#include <volback/util/json_logger.hpp>

#include <cstdlib>

#include <fmt/format.h>

namespace volback::util {

namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 if it is invalid.
std::size_t utf8_length(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t n = 0;
  if ((b0 & 0xE0U) == 0xC0U && b0 >= 0xC2U) {
    n = 2;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    n = 3;
  } else if ((b0 & 0xF8U) == 0xF0U && b0 <= 0xF4U) {
    n = 4;
  } else {
    return 0;
  }
  if (s.size() < n) {
    return 0;
  }
  for (std::size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U) {
      return 0;
    }
  }
  return n;
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s.substr(i));
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string format_slog_json(TimePoint time, const TimeZone& zone, LogLevel level, std::string_view message,
                             std::span<const LogField> fields) {
  std::string line = "{\"time\":" + json_quote(format_rfc3339(time, zone, Fraction::milliseconds));
  line += ",\"level\":";
  line += json_quote(log_level_name(level));
  line += ",\"msg\":";
  line += json_quote(message);
  for (const auto& field : fields) {
    line += ',';
    line += json_quote(field.key);
    line += ':';
    line += json_quote(field.value);
  }
  line += '}';
  return line;
}

}  // namespace volback::util
