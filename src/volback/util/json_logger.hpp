#pragma once
// LOG_FORMAT=json: Go slog's JSONHandler layout, one object per line:
//
//   {"time":"2026-11-26T03:00:00.123Z","level":"INFO","msg":"Backup completed successfully","size":"42"}
//
// Field values are written as JSON strings. As with the text logger, callers never pass
// secrets (redaction happens at the source).

#include <span>
#include <string>
#include <string_view>

#include <volback/util/logging.hpp>

namespace volback::util {

// One record as a JSON object, without the trailing newline; a LineFormatter for
// LineLogger. Pure.
std::string format_slog_json(TimePoint time, const TimeZone& zone, LogLevel level, std::string_view message,
                             std::span<const LogField> fields);

// `s` as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD.
std::string json_quote(std::string_view s);

}  // namespace volback::util
