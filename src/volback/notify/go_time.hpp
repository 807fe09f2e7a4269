#pragma once
// Go's time formatting for notification templates: Time.Format with Go's reference
// layouts ("2006-01-02T15:04:05Z07:00"), and Time.String(). Pure.

#include <string>
#include <string_view>

#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::notify {

// Go's time.RFC3339, the layout of offen's formatTime.
inline constexpr std::string_view k_go_rfc3339 = "2006-01-02T15:04:05Z07:00";

// Formats `t` in `zone` by Go's layout rules: the reference time's elements (2006 06 01 1
// Jan January 02 2 _2 002 __2 Mon Monday 15 03 3 04 4 05 5 PM pm MST -0700 -07:00 -07
// -070000 -07:00:00 Z0700 Z07:00 Z07 Z070000 Z07:00:00, and fractional seconds .000 or
// .999 with ',' or '.') are replaced, everything else is copied.
std::string format_go_time(util::TimePoint t, const util::TimeZone& zone, std::string_view layout);

// Go's Time.String() without a monotonic clock reading:
// "2006-01-02 15:04:05.999999999 -0700 MST".
std::string go_time_string(util::TimePoint t, const util::TimeZone& zone);

}  // namespace volback::notify
