#pragma once
// strftime with exactly the verbs offen/docker-volume-backup supports (leekchan/timeutil):
// %a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %U %W %c %x %X %%.
// An unknown pair such as %Q is dropped, and so is a lone trailing '%'. Pure.

#include <cstddef>
#include <string>
#include <string_view>

#include <volback/util/time_zone.hpp>

namespace volback::util {

std::string strftime_offen(std::string_view format, const CivilTime& time);

// The longest output strftime_offen can give for `format`, over every time (years up to
// 9999) and zone, in bytes: each verb counts at its longest (%A as "Wednesday", %B as
// "September", %c as 24, %f as 6, %z as 5, %Z as 6, the longest abbreviation tzdata's zic
// accepts without a warning). `last_component` is the longest part after the last '/'
// (literal or from %x, "08/29/21"), what is left when only a path's last component is
// kept. Pure.
struct StrftimeBound {
  std::size_t total = 0;
  std::size_t last_component = 0;
};
StrftimeBound strftime_offen_max_length(std::string_view format);

}  // namespace volback::util
