#include <volback/util/utf8.hpp>

namespace volback::util {

Utf8Rune decode_utf8(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    return {b0, 1, true};
  }
  std::size_t width = 0;
  char32_t rune = 0;
  char32_t min = 0;
  if ((b0 & 0xE0U) == 0xC0U) {
    width = 2;
    rune = b0 & 0x1FU;
    min = 0x80;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    width = 3;
    rune = b0 & 0x0FU;
    min = 0x800;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    width = 4;
    rune = b0 & 0x07U;
    min = 0x10000;
  } else {
    return {0xFFFD, 1, false};
  }
  if (s.size() < width) {
    return {0xFFFD, 1, false};
  }
  for (std::size_t i = 1; i < width; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0U) != 0x80U) {
      return {0xFFFD, 1, false};
    }
    rune = (rune << 6) | (b & 0x3FU);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    return {0xFFFD, 1, false};
  }
  return {rune, width, true};
}

bool go_is_print(char32_t r) {
  struct Range {
    char32_t first;
    char32_t last;
  };
  static constexpr Range k_not_printable[] = {
    {0x0080, 0x00A0},   {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},    {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x08E2, 0x08E2},   {0x1680, 0x1680},   {0x180E, 0x180E},    {0x2000, 0x200F},
    {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0xFFFE, 0xFFFF},   {0x110BD, 0x110BD},  {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  if (r < 0x80) {
    return r >= 0x20 && r < 0x7F;
  }
  for (const auto& range : k_not_printable) {
    if (r >= range.first && r <= range.last) {
      return false;
    }
  }
  return true;
}

void append_utf8(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    r = 0xFFFD;
  }
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

std::size_t utf8_rune_count(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    i += decode_utf8(s.substr(i)).width;
  }
  return count;
}

}  // namespace volback::util
