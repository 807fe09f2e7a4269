#pragma once
// Time zones from the system's tz database (IANA names such as "Europe/Berlin").
//
// A TimeZone is a cheap value; copies share the immutable zone data. It converts
// instants to broken-down civil time for filenames and log lines, and does calendar
// arithmetic (add N days at the same wall-clock time) for retention and, later, cron.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace date {
class time_zone;
}

namespace volback::util {

// Civil time in one zone.
struct CivilTime {
  int year = 1970;
  int month = 1;                     // 1..12
  int day = 1;                       // 1..31
  int hour = 0;                      // 0..23
  int minute = 0;                    // 0..59
  int second = 0;                    // 0..59 (leap seconds are not represented)
  int nanosecond = 0;                // 0..999'999'999
  int weekday = 4;                   // 0 = Sunday .. 6 = Saturday
  int year_day = 1;                  // 1..366
  int utc_offset = 0;                // seconds east of UTC
  std::string abbreviation = "UTC";  // "CET", "CEST", "UTC", ...
};

class TimeZone {
 public:
  // Coordinated Universal Time.
  static TimeZone utc();

  // The zone with this IANA name ("UTC" and "Etc/UTC" included). invalid_argument if the
  // database has no such zone.
  static Result<TimeZone> named(std::string_view name);

  // The zone of /etc/localtime, or UTC when there is none or it cannot be read.
  static TimeZone system_default();

  const std::string& name() const { return m_name; }

  CivilTime civil(TimePoint t) const;

  // `t` moved by `days` calendar days, keeping the wall-clock time in this zone, exactly
  // as Go's time.AddDate does: a wall-clock time in a DST gap moves forward by the gap
  // (02:30 becomes 03:30), one in an overlap resolves to the later instant.
  TimePoint add_days(TimePoint t, int days) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : m_zone(zone), m_name(std::move(name)) {}

  const date::time_zone* m_zone;  // nullptr means UTC; owned by the tz database
  std::string m_name;
};

enum class Fraction { none, milliseconds, nanoseconds };

// RFC 3339 with the zone's offset, or "Z" for UTC: "2026-12-10T03:00:00+01:00". With
// Fraction::milliseconds three fraction digits are always written (slog's log time,
// "…T03:00:00.500+01:00"); with Fraction::nanoseconds the fraction is added as Go's
// RFC3339Nano does, without trailing zeros ("…T03:00:00.5+01:00"), and left out when zero.
std::string format_rfc3339(TimePoint t, const TimeZone& zone, Fraction fraction = Fraction::none);

// Parses RFC 3339 ("2026-12-10T03:00:00Z", "2026-12-10T04:00:00.5+01:00").
Result<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace volback::util
