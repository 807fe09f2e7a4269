#pragma once
// go_json: the pieces of Go's encoding/json output that restic's JSON (trees, snapshots,
// locks, keys) is made of and that a generic JSON writer does not reproduce byte for byte:
// strings as Go 1.19 escapes them, and time.Time as RFC 3339 with nanoseconds. Also the reader
// of RFC 3339 times. Pure.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <volback/util/go_json_string.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// Strings as Go writes them (util/go_json_string.hpp).
using util::append_go_json_string;

// The seconds of Go's zero time.Time, 0001-01-01T00:00:00Z, since the Unix epoch.
inline constexpr std::int64_t k_go_zero_time_unix_seconds = -62135596800;

// A time.Time as restic's JSON holds it: an instant and the UTC offset of the zone it was
// written in. The default is Go's zero time (what a missing or null time decodes to).
struct GoTime {
  std::int64_t unix_seconds = k_go_zero_time_unix_seconds;
  std::uint32_t nanoseconds = 0;  // < 1'000'000'000; larger values carry into the seconds
  std::int32_t utc_offset_seconds = 0;

  bool operator==(const GoTime&) const = default;
};

// The instant `time` in UTC, and back (the zone dropped).
GoTime go_time_of(std::chrono::system_clock::time_point time);
std::chrono::system_clock::time_point time_point_of(const GoTime& time);

// Appends `time` as Go's RFC3339Nano in its own offset, as json.Marshal writes a time.Time:
// `2026-11-26T08:36:00.168844112Z`, the fraction without trailing zeros and without the dot
// when the nanoseconds are zero, the zone `Z` when the offset is 0 and `±hh:mm` otherwise
// (whole minutes, as Go). A time whose local year is outside 0..9999 is clamped first as
// restic's FixTime does (to 0000-01-01T00:00:00 or 9999-12-31T23:59:59 in that offset).
void append_rfc3339_nano(std::string& out, const GoTime& time);
std::string format_rfc3339_nano(const GoTime& time);

// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 or more
// digits (digits past the ninth are dropped, as Go does), then `Z` or `±hh:mm`; `T` and `Z`
// may be lower case. Seconds are 00..59 (Go refuses leap seconds), offsets up to ±23:59.
// Errors: corrupt, naming the part that is wrong, for anything else or more than 64 bytes.
util::Result<GoTime> parse_rfc3339(std::string_view text);

}  // namespace volback::restic
