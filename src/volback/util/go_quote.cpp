#include <volback/util/go_quote.hpp>

#include <cstdint>

#include <fmt/format.h>

#include <volback/util/utf8.hpp>

namespace volback::util {

void append_go_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const Utf8Rune d = decode_utf8(s.substr(i));
      if (!d.valid) {
        out += fmt::format("\\x{:02x}", c);
      } else if (go_is_print(d.rune)) {
        out.append(s.substr(i, d.width));
      } else if (d.rune < 0x10000) {
        out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(d.rune));
      } else {
        out += fmt::format("\\U{:08x}", static_cast<std::uint32_t>(d.rune));
      }
      i += d.width;
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\a': out += "\\a"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\v': out += "\\v"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        out += fmt::format("\\x{:02x}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    ++i;
  }
  out += '"';
}

std::string go_quote(std::string_view text) {
  std::string out;
  append_go_quoted(out, text);
  return out;
}

}  // namespace volback::util
