#include <volback/util/logging.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <volback/util/go_quote.hpp>
#include <volback/util/redact.hpp>
#include <volback/util/utf8.hpp>

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
    const Utf8Rune d = decode_utf8(s.substr(i));
    if (!d.valid || d.rune == 0xFFFD || !go_is_print(d.rune)) {
      return true;
    }
    i += d.width;
  }
  return false;
}

void append_value(std::string& out, std::string_view s) {
  if (needs_quoting(s)) {
    append_go_quoted(out, s);
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

std::string format_redacted_line(LineFormatter format, TimePoint time, const TimeZone& zone, LogLevel level,
                                 std::string_view message, std::span<const LogField> fields) {
  const auto holds_url = [](std::string_view s) { return s.find("://") != std::string_view::npos; };
  bool redact = holds_url(message);
  for (const auto& field : fields) {
    redact = redact || holds_url(field.value);
  }
  if (!redact) {
    return format(time, zone, level, message, fields);
  }
  std::vector<LogField> redacted;
  redacted.reserve(fields.size());
  for (const auto& field : fields) {
    redacted.emplace_back(field.key, redact_url_userinfo(field.value));
  }
  return format(time, zone, level, redact_url_userinfo(message), redacted);
}

std::string_view log_level_name(LogLevel level) {
  return level_name_of(level);
}

LineLogger::LineLogger(std::FILE* out, LogLevel min_level, const Clock& clock, TimeZone zone, LineFormatter format)
  : m_out(out), m_min_level(min_level), m_clock(clock), m_zone(std::move(zone)), m_format(format) {}

void LineLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  std::string line = format_redacted_line(m_format, m_clock.now(), m_zone, level, message, fields);
  line += '\n';
  const std::lock_guard lock(m_mutex);
  std::fflush(m_out);  // what was printed before goes first
  const int fd = fileno(m_out);
  if (fd < 0) {
    std::fwrite(line.data(), 1, line.size(), m_out);
    std::fflush(m_out);
    return;
  }
  // One write(2) per line, whatever its length (stdio would split a line longer than its
  // buffer); repeated only for what a short write left.
  std::string_view rest = line;
  while (!rest.empty()) {
    const auto written = ::write(fd, rest.data(), rest.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;  // a log line that cannot be written is dropped
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
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
