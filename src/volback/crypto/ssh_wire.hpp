#pragma once
// The SSH wire encoding (RFC 4251 §5): uint32, string and mpint, as SSH public keys and
// OpenSSH private keys hold them. A reader over a byte view that fails (nullopt) instead
// of reading past the end, and appenders. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace volback::crypto {

class SshReader {
 public:
  explicit SshReader(std::string_view data) : m_data(data) {}

  std::optional<std::uint32_t> u32();
  std::optional<std::string_view> string();
  // An mpint as an unsigned big-endian number without leading zeros; nullopt when negative.
  std::optional<std::string_view> mpint();
  std::optional<std::string_view> bytes(std::size_t n);
  bool empty() const { return m_data.empty(); }
  std::string_view rest() const { return m_data; }

 private:
  std::string_view m_data;
};

void ssh_put_u32(std::string& out, std::uint32_t value);
void ssh_put_string(std::string& out, std::string_view value);
// `value`: unsigned big-endian; leading zeros dropped, a zero added before a high bit.
void ssh_put_mpint(std::string& out, std::string_view value);

}  // namespace volback::crypto
