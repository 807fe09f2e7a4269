#pragma once
// Leveled, structured logging, injected as Logger&.
//
// The default format is Go slog's text layout, which offen/docker-volume-backup prints
// and which users' alert rules grep:
//
//   time=2026-11-26T03:00:00.123Z level=INFO msg="Backup completed successfully" size=42
//
// Callers must never pass a secret as a message or field: values are redacted at the
// source (settings marked secret never reach a log call). As a last line of defence,
// LineLogger replaces the user info of any URL in a message or value with ***
// (util::redact_url_userinfo). Values are quoted as slog does (Go's strconv.Quote when
// they hold a space, '=', '"', a control character or invalid UTF-8), so a value with a
// newline or an escape sequence can never start a forged log line.

#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::util {

enum class LogLevel { debug = -4, info = 0, warn = 4, error = 8 };

// Parses "debug", "info", "warn"/"warning", "error" (any case).
Result<LogLevel> parse_log_level(std::string_view text);

struct LogField {
  std::string_view key;
  std::string value;

  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  template <typename T>
  requires std::is_arithmetic_v<T> LogField(std::string_view k, T v) : key(k), value(fmt::format("{}", v)) {}
};

class Logger {
 public:
  virtual ~Logger() = default;

  // Whether a message at `level` would be written; cheap.
  virtual bool enabled(LogLevel level) const = 0;

  // Writes one record. Thread-safe.
  virtual void write(LogLevel level, std::string_view message, std::span<const LogField> fields) = 0;

  void debug(std::string_view msg, std::initializer_list<LogField> f = {}) { log(LogLevel::debug, msg, f); }
  void info(std::string_view msg, std::initializer_list<LogField> f = {}) { log(LogLevel::info, msg, f); }
  void warn(std::string_view msg, std::initializer_list<LogField> f = {}) { log(LogLevel::warn, msg, f); }
  void error(std::string_view msg, std::initializer_list<LogField> f = {}) { log(LogLevel::error, msg, f); }

  void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> f) {
    if (enabled(level)) {
      write(level, msg, std::span<const LogField>(f.begin(), f.size()));
    }
  }
};

// slog's level names: DEBUG, INFO, WARN, ERROR.
std::string_view log_level_name(LogLevel level);

// Formats one record as one line, without the trailing newline. Pure.
using LineFormatter = std::string (*)(TimePoint time, const TimeZone& zone, LogLevel level, std::string_view message,
                                      std::span<const LogField> fields);

// Formats one record in Go slog's TextHandler layout (the default). Pure.
std::string format_slog_text(TimePoint time, const TimeZone& zone, LogLevel level, std::string_view message,
                             std::span<const LogField> fields);

// One record as `format` lays it out, with the user info of any URL in the message and
// the values replaced by *** (util::redact_url_userinfo): the line LineLogger writes,
// without the newline. Pure.
std::string format_redacted_line(LineFormatter format, TimePoint time, const TimeZone& zone, LogLevel level,
                                 std::string_view message, std::span<const LogField> fields);

// Writes each record as one line to a FILE*, formatted by `format` (format_slog_text,
// or format_slog_json from json_logger.hpp). What stdio holds of `out` is flushed first,
// then the line goes out in one write(2) to its descriptor, so a line is never split on
// a pipe, whatever its length (a FILE* without a descriptor: fwrite and fflush). The
// user info of URLs in the message and the values is redacted first. Thread-safe.
class LineLogger final : public Logger {
 public:
  // `out` and `clock` must outlive the logger.
  LineLogger(std::FILE* out, LogLevel min_level, const Clock& clock, TimeZone zone,
             LineFormatter format = format_slog_text);

  bool enabled(LogLevel level) const override { return level >= m_min_level; }
  void write(LogLevel level, std::string_view message, std::span<const LogField> fields) override;

 private:
  std::FILE* m_out;
  LogLevel m_min_level;
  const Clock& m_clock;
  TimeZone m_zone;
  LineFormatter m_format;
  std::mutex m_mutex;
};

// A logger that keeps every record in memory. For tests.
class CapturingLogger final : public Logger {
 public:
  bool enabled(LogLevel) const override { return true; }
  void write(LogLevel level, std::string_view message, std::span<const LogField> fields) override;

  // All records so far, one per line, in slog layout with a fixed time.
  std::string text() const;
  bool contains(std::string_view needle) const { return text().find(needle) != std::string::npos; }

 private:
  mutable std::mutex m_mutex;
  std::string m_text;
};

}  // namespace volback::util
