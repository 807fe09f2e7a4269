#include <volback/util/terminal_text.hpp>

#include <cstdint>

#include <fmt/format.h>

namespace volback::util {

namespace {

// The length of the valid UTF-8 sequence at the start of `s` and its code point, or a
// length of 0 when the first byte does not start one (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
struct Sequence {
  std::size_t length = 0;
  char32_t code_point = 0;
};

Sequence decode(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    length = 2;
    cp = b0 & 0x1FU;
    min = 0x80;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    length = 3;
    cp = b0 & 0x0FU;
    min = 0x800;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    length = 4;
    cp = b0 & 0x07U;
    min = 0x10000;
  } else {
    return {};
  }
  if (s.size() < length) {
    return {};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0U) != 0x80U) {
      return {};
    }
    cp = (cp << 6) | (b & 0x3FU);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {};
  }
  return {length, cp};
}

// Non-ASCII code points that control the terminal or the order and layout of lines.
bool is_control(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
      }
      ++i;
      continue;
    }
    const Sequence seq = decode(text.substr(i));
    if (seq.length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (is_control(seq.code_point)) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(seq.code_point));
      i += seq.length;
    } else {
      out.append(text.substr(i, seq.length));
      i += seq.length;
    }
  }
  return out;
}

}  // namespace volback::util
