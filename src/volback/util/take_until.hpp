#pragma once
// Walking a small text held in memory field by field (a control file, a list).

#include <string_view>

namespace volback::util {

// The part of `text` before the first `separator` (all of it when there is none), and
// `text` advanced past that separator: repeated calls yield every field, the last
// without a separator after it. Pure.
constexpr std::string_view take_until(std::string_view& text, char separator) {
  const auto end = text.find(separator);
  const std::string_view field = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return field;
}

}  // namespace volback::util
