#pragma once
// Text from outside (names read from storage, archive entries) made safe to print on a
// terminal, one item per line.
//
// A backup's name comes from whoever can write to the storage. Printed as it is, a name
// holding a newline forges a row of `volback list`, and one holding ESC or a C1 control
// drives the terminal (moves the cursor, rewrites earlier lines, sets the window title).
// escape_for_terminal keeps every printable character and writes everything else as a
// visible escape, so the output is one line per item and shows what is really there.

#include <string>
#include <string_view>

namespace volback::util {

// Returns `text` with these written as escapes, everything else unchanged (Pure):
//   TAB, LF, CR            \t \n \r
//   other C0 bytes, DEL    \xNN (ESC is \x1b)
//   a backslash            \\   (so that an escape in the output is never ambiguous)
//   C1 controls U+0080..U+009F, the line and paragraph separators U+2028/U+2029 and
//   the bidirectional controls U+200E, U+200F, U+202A..U+202E, U+2066..U+2069
//                          \uNNNN
//   a byte that is not part of valid UTF-8 (stray continuation bytes, overlong forms,
//   surrogates, code points above U+10FFFF, truncated sequences)
//                          \xNN, one escape per byte
std::string escape_for_terminal(std::string_view text);

}  // namespace volback::util
