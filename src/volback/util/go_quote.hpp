#pragma once
// Go's strconv.Quote: how slog quotes a log value and how Go's fmt prints %q. Pure.

#include <string>
#include <string_view>

namespace volback::util {

// Appends `text` in double quotes with Go's escapes: \" \\ \a \b \f \n \r \t \v, \xNN for
// other control bytes, DEL and invalid UTF-8, \uNNNN or \UNNNNNNNN for runes that are not
// printable (utf8.hpp); printable runes stay as they are.
void append_go_quoted(std::string& out, std::string_view text);

std::string go_quote(std::string_view text);

}  // namespace volback::util
