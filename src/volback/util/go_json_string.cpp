#include <volback/util/go_json_string.hpp>

#include <volback/util/utf8.hpp>

namespace volback::util {

void append_go_json_string(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          out += "\\u00";
          out += k_hex[c >> 4];
          out += k_hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
      }
      ++i;
      continue;
    }
    const Utf8Rune rune = decode_utf8(text.substr(i));
    if (!rune.valid) {
      out += "\\ufffd";
    } else if (rune.rune == 0x2028 || rune.rune == 0x2029) {
      out += rune.rune == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(text.substr(i, rune.width));
    }
    i += rune.width;
  }
  out += '"';
}

}  // namespace volback::util
