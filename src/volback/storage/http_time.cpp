#include <volback/storage/http_time.hpp>

#include <ctime>
#include <string>

#include <fmt/format.h>

namespace volback::storage {

namespace {

// A time point holds nanoseconds in 64 bits: years 1678 to 2262. A server's time outside
// [1800, 2200] is nonsense, and converting it would overflow.
bool year_in_range(const std::tm& tm) {
  return tm.tm_year >= 1800 - 1900 && tm.tm_year <= 2200 - 1900;
}

}  // namespace

util::Result<util::TimePoint> parse_iso8601(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr || !year_in_range(tm)) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("bad time {:?}", s));
  }
  auto tp = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (*end == '.') {
    // Fractional seconds: keep up to microseconds.
    ++end;
    long long frac = 0;
    int digits = 0;
    while (*end >= '0' && *end <= '9') {
      if (digits < 6) {
        frac = frac * 10 + (*end - '0');
        ++digits;
      }
      ++end;
    }
    while (digits < 6) {
      frac *= 10;
      ++digits;
    }
    tp += std::chrono::microseconds(frac);
  }
  return tp;
}

util::Result<util::TimePoint> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  if (strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr || !year_in_range(tm)) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("bad HTTP date {:?}", s));
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string format_http_date(util::TimePoint t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", k_days[tm.tm_wday], tm.tm_mday, k_months[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace volback::storage
