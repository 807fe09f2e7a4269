#pragma once
// Blank trimming for the line-oriented texts volback reads (env files, settings lists,
// cgroup control files, server replies).

#include <string_view>

namespace volback::util {

// `s` without leading and trailing blanks: space, tab, CR, LF, VT and FF. "" when `s`
// is all blanks.
constexpr std::string_view trim(std::string_view s) {
  constexpr std::string_view k_blanks = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(k_blanks);
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(k_blanks) - first + 1);
}

}  // namespace volback::util
