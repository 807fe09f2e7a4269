#pragma once
// Base64 (RFC 4648 §4, the standard alphabet): encoding with '=' padding (the default: MIME,
// HTTP Basic, Content-MD5) or without (age), and a strict decoder for either form (age's
// canonical unpadded one, ASCII armor's padded one). Pure functions, thread-safe.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace volback::util {

enum class Padding { no, yes };

std::string base64_encode(std::span<const unsigned char> bytes, Padding padding = Padding::yes);
inline std::string base64_encode(std::string_view bytes, Padding padding = Padding::yes) {
  return base64_encode({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()}, padding);
}

// Decodes `text`, or nullopt when it is not base64: a character outside the alphabet,
// padding where `padding` says there is none (or missing where it says there is), a
// length no encoding has, or unused bits that are not zero (a non-canonical encoding,
// RFC 4648 §3.5).
std::optional<std::string> base64_decode(std::string_view text, Padding padding);

}  // namespace volback::util
