#include <volback/crypto/ssh_wire.hpp>

namespace volback::crypto {

std::optional<std::string_view> SshReader::string() {
  auto n = u32();
  if (!n) {
    return std::nullopt;
  }
  return bytes(*n);
}

std::optional<std::string_view> SshReader::mpint() {
  auto v = string();
  if (!v) {
    return std::nullopt;
  }
  if (!v->empty() && (static_cast<unsigned char>((*v)[0]) & 0x80) != 0) {
    return std::nullopt;
  }
  while (!v->empty() && (*v)[0] == '\0') {
    v->remove_prefix(1);
  }
  return v;
}

void ssh_put_u32(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value >> 24);
  out += static_cast<char>(value >> 16);
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value);
}

void ssh_put_string(std::string& out, std::string_view value) {
  ssh_put_u32(out, static_cast<std::uint32_t>(value.size()));
  out += value;
}

void ssh_put_mpint(std::string& out, std::string_view value) {
  while (!value.empty() && value[0] == '\0') {
    value.remove_prefix(1);
  }
  std::string body;
  if (!value.empty() && (static_cast<unsigned char>(value[0]) & 0x80) != 0) {
    body += '\0';
  }
  body += value;
  ssh_put_string(out, body);
}

}  // namespace volback::crypto
