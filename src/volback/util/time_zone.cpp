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
  return time_point_cast<system_clock::duration>(m_zone->to_sys(moved, date::choose::earliest));
}

std::string format_rfc3339(TimePoint t, const TimeZone& zone) {
  const CivilTime c = zone.civil(t);
  std::string offset = "Z";
  if (c.utc_offset != 0) {
    const int abs = c.utc_offset < 0 ? -c.utc_offset : c.utc_offset;
    offset = fmt::format("{}{:02}:{:02}", c.utc_offset < 0 ? '-' : '+', abs / 3600, (abs % 3600) / 60);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, offset);
}

Result<TimePoint> parse_rfc3339(std::string_view text) {
  const std::string s(text);
  date::sys_time<nanoseconds> tp;
  // %FT%T%Ez accepts "+01:00"; a trailing Z is handled by parsing it as "+00:00".
  std::string normalized = s;
  if (!normalized.empty() && (normalized.back() == 'Z' || normalized.back() == 'z')) {
    normalized.back() = '+';
    normalized += "00:00";
  }
  std::istringstream in2(normalized);
  in2 >> date::parse("%FT%T%Ez", tp);
  if (in2.fail() || in2.peek() != std::char_traits<char>::eof()) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("\"{}\" is not an RFC 3339 time such as 2026-12-10T03:00:00Z", text));
  }
  return time_point_cast<system_clock::duration>(tp);
}

}  // namespace volback::util
