#include <volback/util/time_zone.hpp>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <sstream>

namespace volback::util {

namespace {

using namespace std::chrono;

CivilTime civil_from_local(date::local_time<nanoseconds> local, int offset, std::string abbrev) {
  const auto day_point = floor<date::days>(local);
  const date::year_month_day ymd{day_point};
  const date::hh_mm_ss<nanoseconds> tod{local - day_point};
  const date::weekday wd{day_point};
  const auto jan1 = date::local_days{ymd.year() / date::January / 1};

  CivilTime c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(tod.hours().count());
  c.minute = static_cast<int>(tod.minutes().count());
  c.second = static_cast<int>(tod.seconds().count());
  c.nanosecond = static_cast<int>(tod.subseconds().count());
  c.weekday = static_cast<int>(wd.c_encoding());
  c.year_day = static_cast<int>((day_point - jan1).count()) + 1;
  c.utc_offset = offset;
  c.abbreviation = std::move(abbrev);
  return c;
}

}  // namespace

TimeZone TimeZone::utc() {
  return TimeZone(nullptr, "UTC");
}

Result<TimeZone> TimeZone::named(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") {
    return utc();
  }
  try {
    const auto* zone = date::locate_zone(name);
    return TimeZone(zone, std::string(name));
  } catch (const std::exception&) {
    return fail(ErrorKind::invalid_argument, fmt::format("unknown time zone \"{}\"", name));
  }
}

TimeZone TimeZone::system_default() {
  try {
    const auto* zone = date::current_zone();
    if (zone != nullptr) {
      return TimeZone(zone, std::string(zone->name()));
    }
  } catch (const std::exception&) {
  }
  return utc();
}

CivilTime TimeZone::civil(TimePoint t) const {
  const auto ns = time_point_cast<nanoseconds>(t);
  if (m_zone == nullptr) {
    return civil_from_local(date::local_time<nanoseconds>{ns.time_since_epoch()}, 0, "UTC");
  }
  const auto info = m_zone->get_info(ns);
  const auto local = date::local_time<nanoseconds>{(ns + info.offset).time_since_epoch()};
  return civil_from_local(local, static_cast<int>(info.offset.count()), info.abbrev);
}

TimePoint TimeZone::add_days(TimePoint t, int days) const {
  if (m_zone == nullptr) {
    return t + date::days{days};
  }
  const auto zoned = date::make_zoned(m_zone, time_point_cast<nanoseconds>(t));
  const auto moved = zoned.get_local_time() + date::days{days};
  // Go's time.Date: take the offset in force at the wall-clock reading taken as UTC; if
  // the instant that gives falls outside that offset's period, use the offset in force
  // at that instant instead. In a gap this moves forward by the gap's length (02:30 →
  // 03:30), in an overlap it picks the later instant.
  const date::sys_time<nanoseconds> as_utc{moved.time_since_epoch()};
  auto info = m_zone->get_info(floor<seconds>(as_utc));
  const auto guess = as_utc - info.offset;
  // Compared in whole seconds (the same answer, since a period's bounds are whole seconds):
  // a zone without transitions (GMT, Etc/GMT+1) has one period from the earliest to the
  // latest second date can name, and turning those into nanoseconds overflows.
  const auto guess_seconds = floor<seconds>(guess);
  if (guess_seconds < info.begin || guess_seconds >= info.end) {
    info = m_zone->get_info(guess_seconds);
  }
  return time_point_cast<system_clock::duration>(as_utc - info.offset);
}

std::string format_rfc3339(TimePoint t, const TimeZone& zone, Fraction fraction) {
  const CivilTime c = zone.civil(t);
  std::string offset = "Z";
  if (c.utc_offset != 0) {
    const int abs = c.utc_offset < 0 ? -c.utc_offset : c.utc_offset;
    offset = fmt::format("{}{:02}:{:02}", c.utc_offset < 0 ? '-' : '+', abs / 3600, (abs % 3600) / 60);
  }
  std::string fraction_text;
  if (fraction == Fraction::milliseconds) {
    fraction_text = fmt::format(".{:03}", c.nanosecond / 1'000'000);
  } else if (fraction == Fraction::nanoseconds && c.nanosecond != 0) {
    fraction_text = fmt::format(".{:09}", c.nanosecond);
    while (fraction_text.back() == '0') {
      fraction_text.pop_back();
    }
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{}", c.year, c.month, c.day, c.hour, c.minute, c.second,
                     fraction_text, offset);
}

namespace {

bool digits_at(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) {
    return false;
  }
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

// The exact RFC 3339 date-time shape, "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)", with
// 'T' and 'Z' in either case. date::parse alone is more lenient: it takes one-digit
// fields, "+01" and "03:00:00.".
bool has_rfc3339_shape(std::string_view s) {
  if (!(digits_at(s, 0, 4) && s.size() > 19 && s[4] == '-' && digits_at(s, 5, 2) && s[7] == '-' && digits_at(s, 8, 2) &&
        (s[10] == 'T' || s[10] == 't') && digits_at(s, 11, 2) && s[13] == ':' && digits_at(s, 14, 2) && s[16] == ':' &&
        digits_at(s, 17, 2))) {
    return false;
  }
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    const std::size_t first = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ++pos;
    }
    if (pos == first) {
      return false;
    }
  }
  const std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    return true;
  }
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits_at(zone, 1, 2) && zone[3] == ':' &&
         digits_at(zone, 4, 2);
}

}  // namespace

Result<TimePoint> parse_rfc3339(std::string_view text) {
  const auto invalid = [&] {
    return fail(ErrorKind::invalid_argument,
                fmt::format("\"{}\" is not an RFC 3339 time such as 2026-12-10T03:00:00Z", text));
  };
  if (!has_rfc3339_shape(text)) {
    return invalid();
  }
  // %FT%T%Ez accepts "+01:00"; a trailing Z is handled by parsing it as "+00:00".
  // Instants are nanoseconds in 64 bits, which reach from 1677-09-21 to 2262-04-11.
  const int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  if (year < 1678 || year > 2261) {
    return fail(ErrorKind::invalid_argument, fmt::format("\"{}\" is outside the supported years 1678 to 2261", text));
  }
  std::string normalized(text);
  normalized[10] = 'T';
  // Go ignores fraction digits beyond nanoseconds; date::parse would stop at them.
  if (normalized.size() > 20 && normalized[19] == '.') {
    std::size_t end = 20;
    while (end < normalized.size() && normalized[end] >= '0' && normalized[end] <= '9') {
      ++end;
    }
    if (end - 20 > 9) {
      normalized.erase(29, end - 29);
    }
  }
  if (normalized.back() == 'Z' || normalized.back() == 'z') {
    normalized.back() = '+';
    normalized += "00:00";
  }
  date::sys_time<nanoseconds> tp;
  std::istringstream in(normalized);
  in >> date::parse("%FT%T%Ez", tp);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return invalid();
  }
  return time_point_cast<system_clock::duration>(tp);
}

}  // namespace volback::util
