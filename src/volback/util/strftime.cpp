#include <volback/util/strftime.hpp>

#include <array>
#include <cstdlib>
#include <span>

#include <fmt/format.h>

namespace volback::util {

namespace {

constexpr std::array<std::string_view, 7> k_short_days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> k_long_days{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                      "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> k_short_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> k_long_months{"January",   "February", "March",    "April",
                                                         "May",       "June",     "July",     "August",
                                                         "September", "October",  "November", "December"};

// Out-of-range fields (a CivilTime built by hand) must not index past the tables.
std::string_view pick(std::span<const std::string_view> names, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= names.size()) {
    return "???";
  }
  return names[static_cast<std::size_t>(index)];
}

// timeutil's weekNumber: weeks start on Sunday for %U and on Monday for %W.
int week_number(const CivilTime& t, char verb) {
  int weekday = t.weekday;
  if (verb == 'W') {
    weekday = weekday == 0 ? 6 : weekday - 1;
  }
  return (t.year_day + 6 - weekday) / 7;
}

// Go's "-0700" layout: the offset in whole minutes (truncated toward zero), then its
// sign, hours and minutes.
std::string numeric_zone(int utc_offset) {
  const int minutes = utc_offset / 60;
  const char sign = minutes < 0 ? '-' : '+';
  const int magnitude = std::abs(minutes);
  return fmt::format("{}{:02}{:02}", sign, magnitude / 60, magnitude % 60);
}

// Go's "MST" layout: the abbreviation, or the "-0700" form when the zone has none.
std::string zone_abbreviation(const CivilTime& t) {
  if (!t.abbreviation.empty()) {
    return t.abbreviation;
  }
  return numeric_zone(t.utc_offset);
}

}  // namespace

std::string strftime_offen(std::string_view format, const CivilTime& t) {
  std::string out;
  out.reserve(format.size() + 16);
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 >= format.size()) {
      break;  // a lone trailing '%' is dropped
    }
    // timeutil walks runes, so a '%' followed by a multi-byte character drops that whole
    // character; its bytes are all >= 0x80 after the first, so skip them too.
    const char verb = format[++i];
    while (i + 1 < format.size() && (static_cast<unsigned char>(verb) & 0xC0U) == 0xC0U &&
           (static_cast<unsigned char>(format[i + 1]) & 0xC0U) == 0x80U) {
      ++i;
    }
    switch (verb) {
    case 'a': out += pick(k_short_days, t.weekday); break;
    case 'A': out += pick(k_long_days, t.weekday); break;
    case 'w': out += fmt::format("{}", t.weekday); break;
    case 'd': out += fmt::format("{:02}", t.day); break;
    case 'b': out += pick(k_short_months, t.month - 1); break;
    case 'B': out += pick(k_long_months, t.month - 1); break;
    case 'm': out += fmt::format("{:02}", t.month); break;
    case 'y': out += fmt::format("{:02}", t.year % 100); break;
    case 'Y': out += fmt::format("{:02}", t.year); break;
    case 'H': out += fmt::format("{:02}", t.hour); break;
    case 'I': {
      int hour = t.hour;
      if (hour == 0) {
        hour = 12;
      } else if (hour > 12) {
        hour -= 12;
      }
      out += fmt::format("{:02}", hour);
      break;
    }
    case 'p': out += t.hour < 12 ? "AM" : "PM"; break;
    case 'M': out += fmt::format("{:02}", t.minute); break;
    case 'S': out += fmt::format("{:02}", t.second); break;
    case 'f': out += fmt::format("{:06}", t.nanosecond / 1000); break;
    case 'z': out += numeric_zone(t.utc_offset); break;
    case 'Z': out += zone_abbreviation(t); break;
    case 'j': out += fmt::format("{:03}", t.year_day); break;
    case 'U': out += fmt::format("{:02}", week_number(t, 'U')); break;
    case 'W': out += fmt::format("{:02}", week_number(t, 'W')); break;
    case 'c':
      // Go layout "Mon Jan 2 15:04:05 2006": the day is not padded.
      out += fmt::format("{} {} {} {:02}:{:02}:{:02} {:04}", pick(k_short_days, t.weekday),
                         pick(k_short_months, t.month - 1), t.day, t.hour, t.minute, t.second, t.year);
      break;
    case 'x': out += fmt::format("{:02}/{:02}/{:02}", t.month, t.day, t.year % 100); break;
    case 'X': out += fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second); break;
    case '%': out += '%'; break;
    default: break;  // unknown verbs vanish, as in timeutil
    }
  }
  return out;
}

StrftimeBound strftime_offen_max_length(std::string_view format) {
  StrftimeBound bound;
  const auto add = [&bound](std::size_t n) {
    bound.total += n;
    bound.last_component += n;
  };
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      bound.total += 1;
      bound.last_component = format[i] == '/' ? 0 : bound.last_component + 1;
      continue;
    }
    if (i + 1 >= format.size()) {
      break;
    }
    // The same walk as strftime_offen: a multi-byte character after '%' is dropped whole.
    const char verb = format[++i];
    while (i + 1 < format.size() && (static_cast<unsigned char>(verb) & 0xC0U) == 0xC0U &&
           (static_cast<unsigned char>(format[i + 1]) & 0xC0U) == 0x80U) {
      ++i;
    }
    switch (verb) {
    case 'a': add(3); break;  // Wed
    case 'A': add(9); break;  // Wednesday
    case 'w': add(1); break;
    case 'd': add(2); break;
    case 'b': add(3); break;  // Sep
    case 'B': add(9); break;  // September
    case 'm': add(2); break;
    case 'y': add(2); break;
    case 'Y': add(4); break;  // years up to 9999
    case 'H':
    case 'I':
    case 'p':
    case 'M':
    case 'S': add(2); break;
    case 'f': add(6); break;
    case 'z': add(5); break;  // -0700
    case 'Z': add(6); break;  // an abbreviation, or -0700 without one
    case 'j': add(3); break;
    case 'U':
    case 'W': add(2); break;
    case 'c': add(24); break;  // Wed Sep 29 15:04:05 2006
    case 'x':                  // 08/29/21: only "21" is after its last '/'
      bound.total += 8;
      bound.last_component = 2;
      break;
    case 'X': add(8); break;
    case '%': add(1); break;
    default: break;
    }
  }
  return bound;
}

}  // namespace volback::util
