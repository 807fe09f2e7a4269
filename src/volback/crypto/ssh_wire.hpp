#pragma once
// The SSH wire encoding (RFC 4251 §5): uint32, string and mpint, as SSH public keys and
// OpenSSH private keys hold them. A reader over a byte view that fails (nullopt) instead
// of reading past the end, and appenders. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/crypto/byte_reader.hpp>

namespace volback::crypto {

class SshReader : public ByteReader {
 public:
  using ByteReader::ByteReader;
  std::optional<std::string_view> string();
  // An mpint as an unsigned big-endian number without leading zeros; nullopt when negative.
  std::optional<std::string_view> mpint();
};

void ssh_put_u32(std::string& out, std::uint32_t value);
void ssh_put_string(std::string& out, std::string_view value);
// `value`: unsigned big-endian; leading zeros dropped, a zero added before a high bit.
void ssh_put_mpint(std::string& out, std::string_view value);

}  // namespace volback::crypto
