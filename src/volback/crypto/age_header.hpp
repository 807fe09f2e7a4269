#pragma once
// The age header (age-encryption.org/v1, §"Header"): the version line, one stanza per
// recipient, and the MAC line:
//
//   age-encryption.org/v1
//   -> X25519 <share>
//   <body, base64 in lines of 64 characters, the last one shorter (maybe empty)>
//   --- <HMAC-SHA-256 of everything up to and including "---">
//
// Parsing is strict, as the specification asks: LF line ends only, arguments of printable
// ASCII separated by one space, canonical unpadded base64, every body ending with a short
// line. Pure and thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::crypto {

inline constexpr std::string_view k_age_version_line = "age-encryption.org/v1";

struct AgeStanza {
  std::string type;               // the first argument
  std::vector<std::string> args;  // the arguments after the type
  std::string body;               // decoded
};

// The header's text up to and including "---": what the MAC covers.
std::string encode_age_header_for_mac(const std::vector<AgeStanza>& stanzas);
// The whole header: the text above, a space, the MAC in base64 and a line end.
std::string encode_age_header(const std::vector<AgeStanza>& stanzas, std::string_view mac);

struct AgeHeader {
  std::vector<AgeStanza> stanzas;
  std::string mac;        // 32 bytes
  std::string mac_input;  // the header's bytes up to and including "---"
  std::size_t size = 0;   // the header's length, its last line end included
};

// The largest header read: far more than any set of recipients volback can be given.
inline constexpr std::size_t k_max_age_header_bytes = 1 << 20;

// Parses the header at the start of `data`. nullopt when `data` ends inside the header
// (read more and try again). Errors: corrupt, naming what is wrong ("header failure").
util::Result<std::optional<AgeHeader>> parse_age_header(std::string_view data);

}  // namespace volback::crypto
