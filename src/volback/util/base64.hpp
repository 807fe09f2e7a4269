#pragma once
// Base64 (RFC 4648, standard alphabet, with padding). Pure.

#include <span>
#include <string>
#include <string_view>

namespace volback::util {

std::string base64_encode(std::span<const unsigned char> bytes);
std::string base64_encode(std::string_view text);

}  // namespace volback::util
