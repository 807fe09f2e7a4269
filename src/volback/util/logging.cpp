#include <volback/util/logging.hpp>

#include <algorithm>
#include <cctype>

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

// slog quotes a value when it is empty or holds a space, '=', '"' or a control byte.
bool needs_quoting(std::string_view s) {
  if (s.empty()) {
    return true;
  }
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c == ' ' || c == '=' || c == '"' || c < 0x20 || c == 0x7f;
  });
}

// Go's strconv.Quote for the characters that occur in practice.
void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        out += fmt::format("\\x{:02x}", c);
      } else {
        out += ch;
      }
    }
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

std::string format_time(TimePoint t, const TimeZone& zone) {
  const CivilTime c = zone.civil(t);
  std::string offset = "Z";
  if (c.utc_offset != 0) {
    const int abs = std::abs(c.utc_offset);
    offset = fmt::format("{}{:02}:{:02}", c.utc_offset < 0 ? '-' : '+', abs / 3600, (abs % 3600) / 60);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.nanosecond / 1'000'000, offset);
}

}  // namespace

Result<LogLevel> parse_log_level(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "debug") return LogLevel::debug;
  if (lower == "info") return LogLevel::info;
  if (lower == "warn" || lower == "warning") return LogLevel::warn;
  if (lower == "error") return LogLevel::error;
  return fail(ErrorKind::invalid_argument,
              fmt::format("\"{}\" is not a log level (debug, info, warn, error)", text));
}

std::string format_slog_text(TimePoint time, const TimeZone& zone, LogLevel level,
                             std::string_view message, std::span<const LogField> fields) {
  std::string line = "time=" + format_time(time, zone);
  line += " level=";
  line += level_name(level);
  line += " msg=";
  append_value(line, message);
  for (const auto& field : fields) {
    line += ' ';
    line += field.key;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

SlogTextLogger::SlogTextLogger(std::FILE* out, LogLevel min_level, const Clock& clock, TimeZone zone)
  : m_out(out), m_min_level(min_level), m_clock(clock), m_zone(std::move(zone)) {}

void SlogTextLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  std::string line = format_slog_text(m_clock.now(), m_zone, level, message, fields);
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
