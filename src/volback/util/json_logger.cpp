#include <volback/util/json_logger.hpp>

#include <cstdlib>

#include <fmt/format.h>

namespace volback::util {

namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
  case LogLevel::debug: return "DEBUG";
  case LogLevel::info: return "INFO";
  case LogLevel::warn: return "WARN";
  case LogLevel::error: return "ERROR";
  }
  return "INFO";
}

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

// slog's JSON time: RFC 3339 with milliseconds.
std::string format_time(TimePoint t, const TimeZone& zone) {
  const CivilTime c = zone.civil(t);
  std::string offset = "Z";
  if (c.utc_offset != 0) {
    const int abs = std::abs(c.utc_offset);
    offset = fmt::format("{}{:02}:{:02}", c.utc_offset < 0 ? '-' : '+', abs / 3600, (abs % 3600) / 60);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", c.year, c.month, c.day, c.hour, c.minute,
                     c.second, c.nanosecond / 1'000'000, offset);
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
  std::string line = "{\"time\":" + json_quote(format_time(time, zone));
  line += ",\"level\":";
  line += json_quote(level_name(level));
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

SlogJsonLogger::SlogJsonLogger(std::FILE* out, LogLevel min_level, const Clock& clock, TimeZone zone)
  : m_out(out), m_min_level(min_level), m_clock(clock), m_zone(std::move(zone)) {}

void SlogJsonLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  std::string line = format_slog_json(m_clock.now(), m_zone, level, message, fields);
  line += '\n';
  const std::lock_guard lock(m_mutex);
  std::fwrite(line.data(), 1, line.size(), m_out);
  std::fflush(m_out);
}

}  // namespace volback::util
