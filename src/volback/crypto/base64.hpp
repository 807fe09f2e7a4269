#pragma once
// Base64 (RFC 4648 §4, the standard alphabet) as age and OpenPGP use it: encoding with or
// without '=' padding, and a strict decoder for age (canonical, unpadded) beside a
// padded one for ASCII armor. Pure functions, thread-safe.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace volback::crypto {

enum class Padding { no, yes };

std::string base64_encode(std::span<const unsigned char> bytes, Padding padding);
inline std::string base64_encode(std::string_view bytes, Padding padding) {
  return base64_encode({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()}, padding);
}

// Decodes `text`, or nullopt when it is not base64: a character outside the alphabet,
// padding where `padding` says there is none (or missing where it says there is), a
// length no encoding has, or unused bits that are not zero (a non-canonical encoding,
// RFC 4648 §3.5).
std::optional<std::string> base64_decode(std::string_view text, Padding padding);

}  // namespace volback::crypto
