#pragma once
// The times storage servers send: ISO 8601 (S3's listings) and RFC 1123 (HTTP headers,
// WebDAV's getlastmodified, Azure's listings). Pure.

#include <string>
#include <string_view>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::storage {

// "2026-01-02T03:04:05.123Z": UTC, fractional seconds kept to microseconds.
// Errors: corrupt.
util::Result<util::TimePoint> parse_iso8601(std::string_view text);

// "Fri, 02 Jan 2026 03:04:05 GMT". Errors: corrupt.
util::Result<util::TimePoint> parse_http_date(std::string_view text);

// The same format, in GMT, for request headers (x-ms-date).
std::string format_http_date(util::TimePoint t);

}  // namespace volback::storage
