#pragma once
// Go's time.Duration text form, as offen's environment variables use it.

#include <chrono>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::util {

// Parses Go's time.ParseDuration syntax: a sequence of decimal numbers with optional
// fraction and a unit (ns, us, µs, ms, s, m, h), optionally signed: "300ms", "-1.5h",
// "2h45m". "0" alone is allowed. There is no "d" unit. invalid_argument otherwise.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// Formats like Go's Duration.String(): "1h30m0s", "1m0s", "500ms", "0s".
std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace volback::util
