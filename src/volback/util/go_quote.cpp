#include <volback/util/go_quote.hpp>

#include <cstddef>
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

namespace {

// The value of `digits` in base 16, or -1 if one is not a hex digit.
std::int64_t go_unquote_hex_value(std::string_view digits) {
  std::int64_t value = 0;
  for (const char c : digits) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

Error go_unquote_error(std::string_view quoted, std::string_view what) {
  constexpr std::size_t k_shown = 64;
  std::string shown = go_quote(quoted.substr(0, k_shown));
  if (quoted.size() > k_shown) {
    shown += "...";
  }
  return Error(ErrorKind::corrupt, fmt::format("invalid Go quoted string {}: {}", shown, what));
}

}  // namespace

Result<std::string> go_unquote(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') {
    return fail(go_unquote_error(quoted, "not in double quotes"));
  }
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c == '"') {
      return fail(go_unquote_error(quoted, "unescaped quote inside"));
    }
    if (c == '\n') {
      return fail(go_unquote_error(quoted, "newline inside"));
    }
    if (c >= 0x80) {
      const Utf8Rune d = decode_utf8(body.substr(i));
      append_utf8(out, d.rune);  // an invalid byte is U+FFFD, as Go decodes it
      i += d.width;
      continue;
    }
    if (c != '\\') {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) {
      return fail(go_unquote_error(quoted, "backslash at the end"));
    }
    const char escape = body[i + 1];
    i += 2;
    switch (escape) {
    case 'a': out += '\a'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'v': out += '\v'; break;
    case '\\': out += '\\'; break;
    case '"': out += '"'; break;
    case 'x':
    case 'u':
    case 'U': {
      const std::size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
      if (body.size() - i < digits) {
        return fail(go_unquote_error(quoted, fmt::format("short \\{} escape", escape)));
      }
      const std::int64_t value = go_unquote_hex_value(body.substr(i, digits));
      if (value < 0) {
        return fail(go_unquote_error(quoted, fmt::format("bad hex digit in \\{} escape", escape)));
      }
      i += digits;
      if (escape == 'x') {
        out += static_cast<char>(value);  // one byte, possibly not UTF-8
      } else if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return fail(go_unquote_error(quoted, "escape is not a valid rune"));
      } else {
        append_utf8(out, static_cast<char32_t>(value));
      }
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      if (body.size() - i < 2) {
        return fail(go_unquote_error(quoted, "short octal escape"));
      }
      int value = escape - '0';
      for (std::size_t j = 0; j < 2; ++j) {
        const char digit = body[i + j];
        if (digit < '0' || digit > '7') {
          return fail(go_unquote_error(quoted, "bad octal escape"));
        }
        value = value * 8 + (digit - '0');
      }
      if (value > 255) {
        return fail(go_unquote_error(quoted, "octal escape above \\377"));
      }
      i += 2;
      out += static_cast<char>(value);
      break;
    }
    default: return fail(go_unquote_error(quoted, "unknown escape"));
    }
  }
  return out;
}

}  // namespace volback::util
