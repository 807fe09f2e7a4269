#include <volback/schedule/cron.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <span>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>

#include <volback/util/duration.hpp>

namespace volback::schedule {

namespace {

using namespace std::chrono;
using util::CivilTime;
using util::TimePoint;
using util::TimeZone;

// robfig keeps "the field was * or ?" in the top bit of the field's mask.
constexpr std::uint64_t k_star = std::uint64_t{1} << 63;

struct Bounds {
  int min;
  int max;
  std::span<const std::string_view> names;  // names[i] is value i + name_base
  int name_base;
  bool is_dow;
};

constexpr std::array<std::string_view, 12> k_months{"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> k_weekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const Bounds k_seconds{0, 59, {}, 0, false};
const Bounds k_minutes{0, 59, {}, 0, false};
const Bounds k_hours{0, 23, {}, 0, false};
const Bounds k_dom{1, 31, {}, 0, false};
const Bounds k_month_bounds{1, 12, k_months, 1, false};
const Bounds k_dow{0, 6, k_weekdays, 0, true};

util::Error invalid(std::string message) {
  return util::Error(util::ErrorKind::invalid_argument, std::move(message));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto pos = s.find(sep);
    parts.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) {
      return parts;
    }
    s.remove_prefix(pos + 1);
  }
}

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) == 0) {
      ++i;
    }
    if (i > start) {
      fields.push_back(s.substr(start, i - start));
    }
  }
  return fields;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

// Go's strconv.Atoi, then robfig's "negative number not allowed".
util::Result<int> must_parse_int(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
  }
  long long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || value > 1'000'000) {
    return util::fail(invalid(fmt::format("failed to parse int from {}", text)));
  }
  if (value < 0) {
    return util::fail(invalid(fmt::format("negative number ({}) not allowed: {}", value, text)));
  }
  return static_cast<int>(value);
}

util::Result<int> parse_int_or_name(std::string_view text, const Bounds& bounds) {
  if (!bounds.names.empty()) {
    std::string lower(text);
    for (auto& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (std::size_t i = 0; i < bounds.names.size(); ++i) {
      if (bounds.names[i] == lower) {
        return static_cast<int>(i) + bounds.name_base;
      }
    }
  }
  return must_parse_int(text);
}

std::uint64_t bits(int min, int max, int step) {
  std::uint64_t out = 0;
  for (int i = min; i <= max; i += step) {
    out |= std::uint64_t{1} << i;
  }
  return out;
}

// robfig's getRange: "*", "?", "N", "N-M", each with an optional "/step".
util::Result<std::uint64_t> parse_range(std::string_view expr, const Bounds& bounds) {
  const auto range_and_step = split(expr, '/');
  const auto low_and_high = split(range_and_step[0], '-');
  const bool single_digit = low_and_high.size() == 1;
  int start = 0;
  int end = 0;
  std::uint64_t extra = 0;
  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    start = bounds.min;
    end = bounds.max;
    extra = k_star;
  } else {
    VOLBACK_TRY_ASSIGN(start, parse_int_or_name(low_and_high[0], bounds));
    switch (low_and_high.size()) {
    case 1: end = start; break;
    case 2: {
      VOLBACK_TRY_ASSIGN(end, parse_int_or_name(low_and_high[1], bounds));
      break;
    }
    default: return util::fail(invalid(fmt::format("too many hyphens: {}", expr)));
    }
  }
  int step = 1;
  switch (range_and_step.size()) {
  case 1: break;
  case 2: {
    VOLBACK_TRY_ASSIGN(step, must_parse_int(range_and_step[1]));
    if (single_digit) {
      end = bounds.max;  // "N/step" is "N-max/step"
    }
    if (step > 1) {
      extra = 0;
    }
    break;
  }
  default: return util::fail(invalid(fmt::format("too many slashes: {}", expr)));
  }
  // Sunday may also be written 7 (cron's convention); robfig only takes 0.
  const int max = bounds.is_dow ? 7 : bounds.max;
  if (start < bounds.min) {
    return util::fail(invalid(fmt::format("beginning of range ({}) below minimum ({}): {}", start, bounds.min, expr)));
  }
  if (end > max) {
    return util::fail(invalid(fmt::format("end of range ({}) above maximum ({}): {}", end, max, expr)));
  }
  if (start > end) {
    return util::fail(invalid(fmt::format("beginning of range ({}) beyond end of range ({}): {}", start, end, expr)));
  }
  if (step == 0) {
    return util::fail(invalid(fmt::format("step of range should be a positive number: {}", expr)));
  }
  std::uint64_t out = bits(start, end, step) | extra;
  if (bounds.is_dow && (out & (std::uint64_t{1} << 7)) != 0) {
    out = (out & ~(std::uint64_t{1} << 7)) | 1U;
  }
  return out;
}

util::Result<std::uint64_t> parse_field(std::string_view field, const Bounds& bounds) {
  std::uint64_t out = 0;
  for (const auto part : split(field, ',')) {
    VOLBACK_TRY_ASSIGN(const auto range, parse_range(part, bounds));
    out |= range;
  }
  return out;
}

std::uint64_t all(const Bounds& bounds) {
  return bits(bounds.min, bounds.max, 1) | k_star;
}

std::optional<CronFields> descriptor_fields(std::string_view d) {
  CronFields f;
  f.second = 1;
  f.minute = 1;
  f.hour = 1;
  f.day_of_month = all(k_dom);
  f.month = all(k_month_bounds);
  f.day_of_week = all(k_dow);
  if (d == "@yearly" || d == "@annually") {
    f.day_of_month = 1U << 1;
    f.month = 1U << 1;
  } else if (d == "@monthly") {
    f.day_of_month = 1U << 1;
  } else if (d == "@weekly") {
    f.day_of_week = 1U << 0;
  } else if (d == "@daily" || d == "@midnight") {
  } else if (d == "@hourly") {
    f.hour = all(k_hours);
  } else {
    return std::nullopt;
  }
  return f;
}

// --- time arithmetic with Go's rules ---------------------------------------------------

int offset_at(const TimeZone& zone, TimePoint t) {
  return zone.civil(t).utc_offset;
}

// Go's time.Date(year, month, day, hour, min, sec, 0, zone): out-of-range months and days
// are normalised (Jan 32 is Feb 1); a wall-clock time in a gap or overlap resolves as
// Go resolves it (the offset in force at the reading taken as UTC, corrected once).
TimePoint go_date(const TimeZone& zone, int year, int month, int day, int hour, int minute, int second) {
  int m0 = month - 1;
  year += m0 >= 0 ? m0 / 12 : -((11 - m0) / 12);
  m0 -= 12 * (m0 >= 0 ? m0 / 12 : -((11 - m0) / 12));
  const date::sys_days first{date::year{year} / date::month{static_cast<unsigned>(m0 + 1)} / 1};
  const auto local = first + date::days{day - 1} + hours{hour} + minutes{minute} + seconds{second};
  const TimePoint as_utc = time_point_cast<system_clock::duration>(local);
  const int guess = offset_at(zone, as_utc);
  const int actual = offset_at(zone, as_utc - seconds{guess});
  return as_utc - seconds{actual};
}

// Go's t.AddDate(0, months, days) in `zone`.
TimePoint add_date(const TimeZone& zone, TimePoint t, int months, int days) {
  const CivilTime c = zone.civil(t);
  return go_date(zone, c.year, c.month + months, c.day + days, c.hour, c.minute, c.second) + nanoseconds{c.nanosecond};
}

bool has(std::uint64_t mask, int value) {
  return (mask & (std::uint64_t{1} << value)) != 0;
}

bool day_matches(const CronFields& f, const CivilTime& c) {
  const bool dom = has(f.day_of_month, c.day);
  const bool dow = has(f.day_of_week, c.weekday);
  if (f.dom_star || f.dow_star) {
    return dom && dow;
  }
  return dom || dow;
}

}  // namespace

util::Result<CronSchedule> parse_cron(std::string_view expression, const util::TimeZone& default_zone) {
  std::string_view spec = trim(expression);
  if (spec.empty()) {
    return util::fail(invalid("empty spec string"));
  }
  CronSchedule schedule{std::string(spec), default_zone};
  if (spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
    const auto space = spec.find_first_of(" \t");
    if (space == std::string_view::npos) {
      return util::fail(invalid(fmt::format("missing fields after the time zone: {}", spec)));
    }
    const auto eq = spec.find('=');
    const std::string_view name = spec.substr(eq + 1, space - eq - 1);
    auto zone = name.empty() ? util::Result<TimeZone>(TimeZone::utc()) : TimeZone::named(name);
    if (!zone) {
      return util::fail(invalid(fmt::format("provided bad location {}: unknown time zone", name)));
    }
    schedule.m_zone = *zone;
    spec = trim(spec.substr(space));
  }

  if (spec.starts_with('@')) {
    if (auto fields = descriptor_fields(spec)) {
      schedule.m_fields = *fields;
    } else if (spec.starts_with("@every ")) {
      auto duration = util::parse_go_duration(spec.substr(7));
      if (!duration) {
        return util::fail(invalid(fmt::format("failed to parse duration {}: {}", spec, duration.error().message())));
      }
      // robfig rounds anything below a second up to one; volback refuses it, so that
      // "@every 0s" (a typo, or a unit left out) is not a backup every second.
      if (*duration < seconds{1}) {
        return util::fail(invalid(fmt::format("the interval of {} is below the minimum of 1s", spec)));
      }
      schedule.m_every = duration_cast<seconds>(*duration);  // rounded down to whole seconds
    } else {
      return util::fail(invalid(fmt::format("unrecognized descriptor: {}", spec)));
    }
  } else {
    auto fields = split_fields(spec);
    if (fields.size() < 5 || fields.size() > 6) {
      return util::fail(invalid(fmt::format("expected 5 to 6 fields, found {}: {}", fields.size(), spec)));
    }
    if (fields.size() == 5) {
      fields.insert(fields.begin(), "0");
    }
    CronFields& f = schedule.m_fields;
    VOLBACK_TRY_ASSIGN(f.second, parse_field(fields[0], k_seconds));
    VOLBACK_TRY_ASSIGN(f.minute, parse_field(fields[1], k_minutes));
    VOLBACK_TRY_ASSIGN(f.hour, parse_field(fields[2], k_hours));
    VOLBACK_TRY_ASSIGN(f.day_of_month, parse_field(fields[3], k_dom));
    VOLBACK_TRY_ASSIGN(f.month, parse_field(fields[4], k_month_bounds));
    VOLBACK_TRY_ASSIGN(f.day_of_week, parse_field(fields[5], k_dow));
  }
  schedule.m_fields.dom_star = (schedule.m_fields.day_of_month & k_star) != 0;
  schedule.m_fields.dow_star = (schedule.m_fields.day_of_week & k_star) != 0;
  return schedule;
}

// A line-by-line port of robfig's SpecSchedule.Next, including its DST corrections.
std::optional<TimePoint> next_fire(const CronSchedule& schedule, TimePoint after) {
  if (const auto every = schedule.every()) {
    // A Go duration reaches 292 years, past what a TimePoint holds (nanoseconds since
    // 1970, until 2262): a fire time it cannot hold is never.
    const seconds base = floor<seconds>(after).time_since_epoch();
    const seconds last = floor<seconds>(TimePoint::max()).time_since_epoch();
    if (*every > last - base) {
      return std::nullopt;
    }
    return TimePoint(base + *every);
  }
  const CronFields& f = schedule.fields();
  const TimeZone& zone = schedule.zone();

  TimePoint t = floor<seconds>(after) + seconds{1};
  bool added = false;
  const int year_limit = zone.civil(t).year + 5;

  for (;;) {  // robfig's WRAP label
    CivilTime c = zone.civil(t);
    if (c.year > year_limit) {
      return std::nullopt;
    }
    bool wrapped = false;
    while (!has(f.month, c.month)) {
      if (!added) {
        added = true;
        t = go_date(zone, c.year, c.month, 1, 0, 0, 0);
      }
      t = add_date(zone, t, 1, 0);
      c = zone.civil(t);
      if (c.month == 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) {
      continue;
    }
    while (!day_matches(f, c)) {
      if (!added) {
        added = true;
        t = go_date(zone, c.year, c.month, c.day, 0, 0, 0);
      }
      t = add_date(zone, t, 0, 1);
      c = zone.civil(t);
      // Back to midnight if a DST change moved the hour.
      if (c.hour != 0) {
        t = c.hour > 12 ? t + hours{24 - c.hour} : t - hours{c.hour};
        c = zone.civil(t);
      }
      if (c.day == 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) {
      continue;
    }
    while (!has(f.hour, c.hour)) {
      if (!added) {
        added = true;
        t = go_date(zone, c.year, c.month, c.day, c.hour, 0, 0);
      }
      t += hours{1};
      c = zone.civil(t);
      if (c.hour == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) {
      continue;
    }
    while (!has(f.minute, c.minute)) {
      if (!added) {
        added = true;
        t = floor<minutes>(t);
      }
      t += minutes{1};
      c = zone.civil(t);
      if (c.minute == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) {
      continue;
    }
    while (!has(f.second, c.second)) {
      if (!added) {
        added = true;
        t = floor<seconds>(t);
      }
      t += seconds{1};
      c = zone.civil(t);
      if (c.second == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) {
      continue;
    }
    return t;
  }
}

bool never_fires(const CronSchedule& schedule, util::TimePoint now) {
  return !next_fire(schedule, now).has_value();
}

}  // namespace volback::schedule
