#pragma once
// Go's strconv.Quote and strconv.Unquote for double-quoted strings: how slog quotes a log
// value, how Go's fmt prints %q, and how restic stores file names in its trees. Pure.

#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::util {

// Appends `text` in double quotes with Go's escapes: \" \\ \a \b \f \n \r \t \v, \xNN for
// other control bytes, DEL and invalid UTF-8, \uNNNN or \UNNNNNNNN for runes that are not
// printable (utf8.hpp); printable runes stay as they are.
void append_go_quoted(std::string& out, std::string_view text);

std::string go_quote(std::string_view text);

// Go's strconv.Unquote of a double-quoted string, the inverse of go_quote: `quoted` must be
// `"`, then characters and escapes, then `"`. Escapes: \a \b \f \n \r \t \v \\ \", \xNN and
// octal \NNN (<= \377) for one byte each, \uNNNN and \UNNNNNNNN for a rune (UTF-8; not a
// surrogate, at most U+10FFFF). Other characters are copied, except that an invalid UTF-8 byte
// becomes U+FFFD as in Go. Errors: corrupt for anything Go rejects: missing quotes, an
// unescaped `"` or newline inside, an unknown or short escape, \' .
Result<std::string> go_unquote(std::string_view quoted);

}  // namespace volback::util
