#include <volback/restic/go_json.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>

#include <fmt/format.h>

#include <volback/util/go_quote.hpp>
#include <volback/util/utf8.hpp>

namespace volback::restic {

namespace {

constexpr std::int64_t k_go_json_seconds_per_day = 86400;
// 0000-01-01T00:00:00 and 9999-12-31T23:59:59 as local seconds since the epoch.
constexpr std::int64_t k_go_json_first_local_second = -62167219200;
constexpr std::int64_t k_go_json_last_local_second = 253402300799;
constexpr std::size_t k_go_json_longest_time = 64;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t go_json_days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct GoJsonCivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

GoJsonCivilDate go_json_civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {era * 400 + year_of_era + (month <= 2 ? 1 : 0), month, day};
}

bool go_json_is_leap_year(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

unsigned go_json_days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && go_json_is_leap_year(year) ? 29 : k_days[month - 1];
}

// Floor division and its remainder, for negative seconds.
std::int64_t go_json_floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

void append_rfc3339_nano(std::string& out, const GoTime& time) {
  // Bounded first, so that adding the offset cannot overflow; far past the clamp either way.
  constexpr std::int64_t k_bound = std::int64_t{1} << 40;
  std::int64_t seconds = std::clamp<std::int64_t>(time.unix_seconds, -k_bound, k_bound);
  seconds += time.nanoseconds / 1'000'000'000U;
  std::uint32_t nanoseconds = time.nanoseconds % 1'000'000'000U;
  std::int64_t local = seconds + time.utc_offset_seconds;
  if (local < k_go_json_first_local_second) {
    local = k_go_json_first_local_second;
    nanoseconds = 0;
  } else if (local > k_go_json_last_local_second) {
    local = k_go_json_last_local_second;
    nanoseconds = 0;
  }
  const std::int64_t days = go_json_floor_div(local, k_go_json_seconds_per_day);
  const std::int64_t second_of_day = local - days * k_go_json_seconds_per_day;
  const GoJsonCivilDate date = go_json_civil_from_days(days);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", date.year, date.month, date.day,
                 second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
  if (nanoseconds != 0) {
    std::string fraction = fmt::format("{:09}", nanoseconds);
    fraction.erase(fraction.find_last_not_of('0') + 1);
    out += '.';
    out += fraction;
  }
  const std::int32_t offset = time.utc_offset_seconds;
  if (offset == 0) {
    out += 'Z';
    return;
  }
  // As Go: the sign of the whole minutes, hours of at least two digits, seconds dropped.
  std::int64_t zone_minutes = offset / 60;
  if (zone_minutes < 0) {
    out += '-';
    zone_minutes = -zone_minutes;
  } else {
    out += '+';
  }
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}", zone_minutes / 60, zone_minutes % 60);
}

std::string format_rfc3339_nano(const GoTime& time) {
  std::string out;
  append_rfc3339_nano(out, time);
  return out;
}

namespace {

class GoJsonTimeParser {
 public:
  explicit GoJsonTimeParser(std::string_view text) : m_text(text) {}

  util::Result<GoTime> parse() {
    if (m_text.size() > k_go_json_longest_time) {
      return fail("longer than 64 bytes");
    }
    VOLBACK_TRY_ASSIGN(const unsigned year, number(4, "year"));
    VOLBACK_TRY(literal("-", "'-' after the year"));
    VOLBACK_TRY_ASSIGN(const unsigned month, number(2, "month"));
    VOLBACK_TRY(literal("-", "'-' after the month"));
    VOLBACK_TRY_ASSIGN(const unsigned day, number(2, "day"));
    VOLBACK_TRY(literal("Tt", "'T' after the date"));
    VOLBACK_TRY_ASSIGN(const unsigned hour, number(2, "hour"));
    VOLBACK_TRY(literal(":", "':' after the hour"));
    VOLBACK_TRY_ASSIGN(const unsigned minute, number(2, "minute"));
    VOLBACK_TRY(literal(":", "':' after the minute"));
    VOLBACK_TRY_ASSIGN(const unsigned second, number(2, "second"));
    if (month < 1 || month > 12) {
      return fail("month out of range");
    }
    if (day < 1 || day > go_json_days_in_month(year, month)) {
      return fail("day out of range");
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return fail("time of day out of range");
    }
    std::uint32_t nanoseconds = 0;
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
      ++m_pos;
      std::size_t digits = 0;
      while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
        if (digits < 9) {
          nanoseconds = nanoseconds * 10 + static_cast<std::uint32_t>(m_text[m_pos] - '0');
        }
        ++digits;
        ++m_pos;
      }
      if (digits == 0) {
        return fail("no digits after '.'");
      }
      for (; digits < 9; ++digits) {
        nanoseconds *= 10;
      }
    }
    std::int32_t offset = 0;
    if (m_pos < m_text.size() && (m_text[m_pos] == 'Z' || m_text[m_pos] == 'z')) {
      ++m_pos;
    } else if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) {
      const bool negative = m_text[m_pos] == '-';
      ++m_pos;
      VOLBACK_TRY_ASSIGN(const unsigned offset_hours, number(2, "offset hours"));
      VOLBACK_TRY(literal(":", "':' in the offset"));
      VOLBACK_TRY_ASSIGN(const unsigned offset_minutes, number(2, "offset minutes"));
      if (offset_hours > 23 || offset_minutes > 59) {
        return fail("offset out of range");
      }
      offset = static_cast<std::int32_t>(offset_hours * 3600 + offset_minutes * 60);
      offset = negative ? -offset : offset;
    } else {
      return fail("no 'Z' or offset");
    }
    if (m_pos != m_text.size()) {
      return fail("extra text after the offset");
    }
    const std::int64_t local = go_json_days_from_civil(year, month, day) * k_go_json_seconds_per_day +
                               std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
    return GoTime{local - offset, nanoseconds, offset};
  }

 private:
  tl::unexpected<util::Error> fail(std::string_view what) const {
    constexpr std::size_t k_shown = 40;
    std::string shown = util::go_quote(m_text.substr(0, k_shown));
    if (m_text.size() > k_shown) {
      shown += "...";
    }
    return util::fail(util::ErrorKind::corrupt, fmt::format("invalid RFC 3339 time {}: {}", shown, what));
  }

  util::Result<unsigned> number(std::size_t digits, std::string_view what) {
    unsigned value = 0;
    for (std::size_t i = 0; i < digits; ++i, ++m_pos) {
      if (m_pos >= m_text.size() || m_text[m_pos] < '0' || m_text[m_pos] > '9') {
        return fail(fmt::format("{} is not {} digits", what, digits));
      }
      value = value * 10 + static_cast<unsigned>(m_text[m_pos] - '0');
    }
    return value;
  }

  util::Result<void> literal(std::string_view accepted, std::string_view what) {
    if (m_pos >= m_text.size() || accepted.find(m_text[m_pos]) == std::string_view::npos) {
      return fail(fmt::format("expected {}", what));
    }
    ++m_pos;
    return {};
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

util::Result<GoTime> parse_rfc3339(std::string_view text) {
  return GoJsonTimeParser(text).parse();
}

GoTime go_time_of(std::chrono::system_clock::time_point time) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  const auto seconds = ns >= 0 ? ns / 1'000'000'000 : -((-ns + 999'999'999) / 1'000'000'000);
  return {.unix_seconds = seconds, .nanoseconds = static_cast<std::uint32_t>(ns - seconds * 1'000'000'000)};
}

std::chrono::system_clock::time_point time_point_of(const GoTime& time) {
  using Duration = std::chrono::system_clock::duration;
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<Duration>(
    std::chrono::seconds(time.unix_seconds) + std::chrono::nanoseconds(time.nanoseconds)));
}

}  // namespace volback::restic
