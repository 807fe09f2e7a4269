#pragma once
// A guard for parsing hostile JSON with a recursive parser: whether arrays and objects nest
// deeper than a limit, found in one pass without recursion (strings skipped, escapes
// honoured). A reply or file that nests deeper is refused before it is parsed, so that
// neither the parser nor the destructor of its result can recurse without bound. Pure.

#include <cstddef>
#include <string_view>

namespace volback::util {

bool json_nests_deeper_than(std::string_view json, std::size_t limit);

}  // namespace volback::util
