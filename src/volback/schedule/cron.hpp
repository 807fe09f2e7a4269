#pragma once
// Cron schedules with the semantics of robfig/cron v3, the library offen's daemon uses.
//
// A schedule is parsed once (parse_cron) and asked for its next fire time (next_fire),
// both pure functions. The accepted syntax is robfig's parser with
// SecondOptional | Minute | Hour | Dom | Month | Dow | Descriptor:
//
//   [CRON_TZ=<zone> | TZ=<zone>] <fields>
//   fields: 5 fields (minute hour dom month dow), or 6 with seconds first;
//           each field a comma list of `*`, `?`, N, N-M, with an optional /step
//           ("N/step" means N-max/step); months JAN-DEC and weekdays SUN-SAT by name
//           (any case). Sunday is 0, and also 7 (robfig rejects 7; volback accepts it).
//   descriptors: @yearly @annually @monthly @weekly @daily @midnight @hourly,
//           and `@every <Go duration>` (rounded down to whole seconds). An interval
//           below 1 s (@every 0s, @every 500ms, a negative one) is an error; robfig
//           would run it every second.
//
// When both day-of-month and day-of-week are restricted (neither starts with * or ?),
// a day matches if either matches, as in robfig and Vixie cron.
//
// Time zones: the fields are matched against wall-clock time in the schedule's zone
// (the prefix's, else the zone given to parse_cron). Across DST changes next_fire
// behaves exactly like robfig: a wall-clock time inside a spring-forward gap does not
// fire that day (02:30 on the day 02:00 jumps to 03:00 is skipped), and one inside a
// fall-back overlap fires at both instants.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::schedule {

// One bit per allowed value of each field (bit N allows N).
struct CronFields {
  std::uint64_t second = 0;
  std::uint64_t minute = 0;
  std::uint64_t hour = 0;
  std::uint64_t day_of_month = 0;
  std::uint64_t month = 0;
  std::uint64_t day_of_week = 0;
  bool dom_star = false;  // day of month was * or ?
  bool dow_star = false;  // day of week was * or ?
};

class CronSchedule {
 public:
  // The expression as written, prefix included.
  const std::string& expression() const { return m_expression; }
  const util::TimeZone& zone() const { return m_zone; }
  // For `@every`: the fixed interval; nullopt for field schedules.
  std::optional<std::chrono::seconds> every() const { return m_every; }
  const CronFields& fields() const { return m_fields; }

 private:
  friend util::Result<CronSchedule> parse_cron(std::string_view, const util::TimeZone&);
  CronSchedule(std::string expression, util::TimeZone zone)
    : m_expression(std::move(expression)), m_zone(std::move(zone)) {}

  std::string m_expression;
  util::TimeZone m_zone;
  std::optional<std::chrono::seconds> m_every;
  CronFields m_fields;
};

// Parses `expression` (surrounding spaces ignored). `default_zone` applies unless the
// expression has a CRON_TZ= or TZ= prefix. Pure (the zone database is read-only).
// Errors: invalid_argument with robfig's reason, e.g. "end of range (60) above maximum
// (59): 0-60", "expected 5 to 6 fields, found 4", "unknown time zone \"Mars/Base\"".
util::Result<CronSchedule> parse_cron(std::string_view expression, const util::TimeZone& default_zone);

// The first fire time strictly after `after` (at least the next whole second), or
// nullopt when the schedule cannot fire within five years of `after` (robfig's limit),
// which is how a schedule that never fires ("0 0 5 31 2 ?") is recognised, or, for
// `@every`, when the next fire time is past what a TimePoint holds (the year 2262). Pure.
std::optional<util::TimePoint> next_fire(const CronSchedule& schedule, util::TimePoint after);

// Whether the schedule never fires: next_fire from `now` gives nothing. Unlike offen's
// check, this evaluates the schedule itself, so 6-field expressions get no false alarm.
bool never_fires(const CronSchedule& schedule, util::TimePoint now);

}  // namespace volback::schedule
