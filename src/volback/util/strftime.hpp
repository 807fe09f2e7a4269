#pragma once
// strftime with exactly the verbs offen/docker-volume-backup supports (leekchan/timeutil):
// %a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %U %W %c %x %X %%.
// An unknown pair such as %Q is dropped, and so is a lone trailing '%'. Pure.

#include <string>
#include <string_view>

#include <volback/util/time_zone.hpp>

namespace volback::util {

std::string strftime_offen(std::string_view format, const CivilTime& time);

}  // namespace volback::util
