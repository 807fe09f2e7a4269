#include <volback/notify/go_time.hpp>

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace volback::notify {

namespace {

enum class Chunk {
  none,
  long_month,            // January
  month,                 // Jan
  num_month,             // 1
  zero_month,            // 01
  long_weekday,          // Monday
  weekday,               // Mon
  day,                   // 2
  under_day,             // _2
  zero_day,              // 02
  under_year_day,        // __2
  zero_year_day,         // 002
  hour,                  // 15
  hour12,                // 3
  zero_hour12,           // 03
  minute,                // 4
  zero_minute,           // 04
  second,                // 5
  zero_second,           // 05
  long_year,             // 2006
  year,                  // 06
  pm_upper,              // PM
  pm_lower,              // pm
  tz,                    // MST
  iso_tz,                // Z0700
  iso_seconds_tz,        // Z070000
  iso_short_tz,          // Z07
  iso_colon_tz,          // Z07:00
  iso_colon_seconds_tz,  // Z07:00:00
  num_tz,                // -0700
  num_seconds_tz,        // -070000
  num_short_tz,          // -07
  num_colon_tz,          // -07:00
  num_colon_seconds_tz,  // -07:00:00
  frac_zeros,            // .000: that many digits
  frac_nines,            // .999: up to that many digits, trailing zeros dropped
};

struct Found {
  std::size_t start = 0;  // where the chunk starts in the layout
  std::size_t length = 0;
  Chunk chunk = Chunk::none;
  int digits = 0;  // for fractions
  char separator = '.';
};

bool starts_lower(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z';
}

bool is_digit_at(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// The first layout element at or after `from`, as Go's nextStdChunk finds it.
Found next_chunk(std::string_view layout, std::size_t from) {
  const auto at = [&](std::size_t i, std::string_view word) { return layout.substr(i, word.size()) == word; };
  for (std::size_t i = from; i < layout.size(); ++i) {
    const auto found = [&](std::size_t length, Chunk chunk) { return Found{i, length, chunk}; };
    switch (layout[i]) {
    case 'J':
      if (at(i, "January")) {
        return found(7, Chunk::long_month);
      }
      if (at(i, "Jan") && !starts_lower(layout.substr(i + 3))) {
        return found(3, Chunk::month);
      }
      break;
    case 'M':
      if (at(i, "Monday")) {
        return found(6, Chunk::long_weekday);
      }
      if (at(i, "Mon") && !starts_lower(layout.substr(i + 3))) {
        return found(3, Chunk::weekday);
      }
      if (at(i, "MST")) {
        return found(3, Chunk::tz);
      }
      break;
    case '0':
      if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
        static constexpr std::array k_zero{Chunk::zero_month,  Chunk::zero_day,    Chunk::zero_hour12,
                                           Chunk::zero_minute, Chunk::zero_second, Chunk::year};
        return found(2, k_zero[static_cast<std::size_t>(layout[i + 1] - '1')]);
      }
      if (at(i, "002")) {
        return found(3, Chunk::zero_year_day);
      }
      break;
    case '1':
      if (at(i, "15")) {
        return found(2, Chunk::hour);
      }
      return found(1, Chunk::num_month);
    case '2':
      if (at(i, "2006")) {
        return found(4, Chunk::long_year);
      }
      return found(1, Chunk::day);
    case '_':
      if (at(i, "_2")) {
        if (at(i + 1, "2006")) {
          // "_2006" is a literal '_' followed by the year.
          return Found{i + 1, 4, Chunk::long_year};
        }
        return found(2, Chunk::under_day);
      }
      if (at(i, "__2")) {
        return found(3, Chunk::under_year_day);
      }
      break;
    case '3': return found(1, Chunk::hour12);
    case '4': return found(1, Chunk::minute);
    case '5': return found(1, Chunk::second);
    case 'P':
      if (at(i, "PM")) {
        return found(2, Chunk::pm_upper);
      }
      break;
    case 'p':
      if (at(i, "pm")) {
        return found(2, Chunk::pm_lower);
      }
      break;
    case '-':
      if (at(i, "-070000")) {
        return found(7, Chunk::num_seconds_tz);
      }
      if (at(i, "-07:00:00")) {
        return found(9, Chunk::num_colon_seconds_tz);
      }
      if (at(i, "-0700")) {
        return found(5, Chunk::num_tz);
      }
      if (at(i, "-07:00")) {
        return found(6, Chunk::num_colon_tz);
      }
      if (at(i, "-07")) {
        return found(3, Chunk::num_short_tz);
      }
      break;
    case 'Z':
      if (at(i, "Z070000")) {
        return found(7, Chunk::iso_seconds_tz);
      }
      if (at(i, "Z07:00:00")) {
        return found(9, Chunk::iso_colon_seconds_tz);
      }
      if (at(i, "Z0700")) {
        return found(5, Chunk::iso_tz);
      }
      if (at(i, "Z07:00")) {
        return found(6, Chunk::iso_colon_tz);
      }
      if (at(i, "Z07")) {
        return found(3, Chunk::iso_short_tz);
      }
      break;
    case '.':
    case ',':
      if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
        const char digit = layout[i + 1];
        std::size_t j = i + 1;
        while (j < layout.size() && layout[j] == digit) {
          ++j;
        }
        // Only a run of one digit that ends the number is a fraction.
        if (!is_digit_at(layout, j)) {
          Found f{i, j - i, digit == '0' ? Chunk::frac_zeros : Chunk::frac_nines};
          f.digits = static_cast<int>(j - i - 1);
          f.separator = layout[i];
          return f;
        }
      }
      break;
    default: break;
    }
  }
  return Found{layout.size(), 0, Chunk::none};
}

constexpr std::array<std::string_view, 12> k_months{"January",   "February", "March",    "April",
                                                    "May",       "June",     "July",     "August",
                                                    "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> k_days{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                 "Thursday", "Friday", "Saturday"};

void append_offset(std::string& out, int offset, Chunk chunk) {
  const bool iso = chunk == Chunk::iso_tz || chunk == Chunk::iso_seconds_tz || chunk == Chunk::iso_short_tz ||
                   chunk == Chunk::iso_colon_tz || chunk == Chunk::iso_colon_seconds_tz;
  if (iso && offset == 0) {
    out += 'Z';
    return;
  }
  int zone = offset / 60;  // minutes
  int abs_offset = offset;
  if (zone < 0) {
    out += '-';
    zone = -zone;
    abs_offset = -abs_offset;
  } else {
    out += '+';
  }
  out += fmt::format("{:02}", zone / 60);
  const bool colon = chunk == Chunk::iso_colon_tz || chunk == Chunk::num_colon_tz ||
                     chunk == Chunk::iso_colon_seconds_tz || chunk == Chunk::num_colon_seconds_tz;
  if (chunk != Chunk::iso_short_tz && chunk != Chunk::num_short_tz) {
    if (colon) {
      out += ':';
    }
    out += fmt::format("{:02}", zone % 60);
  }
  if (chunk == Chunk::iso_seconds_tz || chunk == Chunk::num_seconds_tz || chunk == Chunk::iso_colon_seconds_tz ||
      chunk == Chunk::num_colon_seconds_tz) {
    if (colon) {
      out += ':';
    }
    out += fmt::format("{:02}", abs_offset % 60);
  }
}

void append_chunk(std::string& out, const Found& found, const util::CivilTime& c) {
  const int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  switch (found.chunk) {
  case Chunk::none: break;
  case Chunk::long_month: out += k_months[static_cast<std::size_t>(c.month - 1)]; break;
  case Chunk::month: out += k_months[static_cast<std::size_t>(c.month - 1)].substr(0, 3); break;
  case Chunk::num_month: out += fmt::format("{}", c.month); break;
  case Chunk::zero_month: out += fmt::format("{:02}", c.month); break;
  case Chunk::long_weekday: out += k_days[static_cast<std::size_t>(c.weekday)]; break;
  case Chunk::weekday: out += k_days[static_cast<std::size_t>(c.weekday)].substr(0, 3); break;
  case Chunk::day: out += fmt::format("{}", c.day); break;
  case Chunk::under_day: out += fmt::format("{:2}", c.day); break;
  case Chunk::zero_day: out += fmt::format("{:02}", c.day); break;
  case Chunk::under_year_day: out += fmt::format("{:3}", c.year_day); break;
  case Chunk::zero_year_day: out += fmt::format("{:03}", c.year_day); break;
  case Chunk::hour: out += fmt::format("{:02}", c.hour); break;
  case Chunk::hour12: out += fmt::format("{}", hour12); break;
  case Chunk::zero_hour12: out += fmt::format("{:02}", hour12); break;
  case Chunk::minute: out += fmt::format("{}", c.minute); break;
  case Chunk::zero_minute: out += fmt::format("{:02}", c.minute); break;
  case Chunk::second: out += fmt::format("{}", c.second); break;
  case Chunk::zero_second: out += fmt::format("{:02}", c.second); break;
  case Chunk::long_year: out += fmt::format("{:04}", c.year); break;
  case Chunk::year: out += fmt::format("{:02}", c.year % 100); break;
  case Chunk::pm_upper: out += c.hour >= 12 ? "PM" : "AM"; break;
  case Chunk::pm_lower: out += c.hour >= 12 ? "pm" : "am"; break;
  case Chunk::tz:
    if (!c.abbreviation.empty()) {
      out += c.abbreviation;
    } else {
      append_offset(out, c.utc_offset, Chunk::num_tz);
    }
    break;
  case Chunk::frac_zeros: {
    out += found.separator;
    out += fmt::format("{:09}", c.nanosecond).substr(0, static_cast<std::size_t>(found.digits));
    break;
  }
  case Chunk::frac_nines: {
    std::string digits = fmt::format("{:09}", c.nanosecond).substr(0, static_cast<std::size_t>(found.digits));
    while (!digits.empty() && digits.back() == '0') {
      digits.pop_back();
    }
    if (!digits.empty()) {
      out += found.separator;
      out += digits;
    }
    break;
  }
  default: append_offset(out, c.utc_offset, found.chunk); break;
  }
}

}  // namespace

std::string format_go_time(util::TimePoint t, const util::TimeZone& zone, std::string_view layout) {
  const util::CivilTime civil = zone.civil(t);
  std::string out;
  std::size_t pos = 0;
  while (pos < layout.size()) {
    const Found found = next_chunk(layout, pos);
    out.append(layout.substr(pos, found.start - pos));
    if (found.chunk == Chunk::none) {
      break;
    }
    append_chunk(out, found, civil);
    pos = found.start + found.length;
  }
  return out;
}

std::string go_time_string(util::TimePoint t, const util::TimeZone& zone) {
  return format_go_time(t, zone, "2006-01-02 15:04:05.999999999 -0700 MST");
}

}  // namespace volback::notify
