#pragma once
// UTF-8 decoding and Go's notion of a printable rune, shared by the log formatter (slog's
// quoting) and the notification templates (Go's fmt and strconv). Pure.

#include <cstddef>
#include <string>
#include <string_view>

namespace volback::util {

// One decoded UTF-8 sequence. An invalid byte decodes as U+FFFD of width 1 with `valid`
// false, as Go's utf8.DecodeRuneInString reports RuneError.
struct Utf8Rune {
  char32_t rune;
  std::size_t width;
  bool valid;
};

// The rune at the start of `s`. REQUIRES: !s.empty().
Utf8Rune decode_utf8(std::string_view s);

// Go's unicode.IsPrint for runes from U+0080 on, approximated by the code points that are
// not printable in practice: C1 controls, every space except U+0020, line and paragraph
// separators, format characters (soft hyphen, zero-width and bidi marks, BOM, ...),
// private use areas and noncharacters. Unassigned code points count as printable.
bool go_is_print(char32_t rune);

// Appends the UTF-8 encoding of `rune` (U+FFFD for a surrogate or a value past U+10FFFF).
void append_utf8(std::string& out, char32_t rune);

// The number of runes in `s`, each invalid byte counting as one (Go's
// utf8.RuneCountInString).
std::size_t utf8_rune_count(std::string_view s);

}  // namespace volback::util
