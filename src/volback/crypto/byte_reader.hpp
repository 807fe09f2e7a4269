#pragma once
// ByteReader: big-endian fields read off the front of a byte string, as the OpenPGP and
// SSH wire formats store them (PgpReader and SshReader add their own compound fields).
// A read of more than is left returns nullopt and consumes nothing. The reader holds a
// view: the data must outlive it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace volback::crypto {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : m_data(data) {}

  std::optional<std::string_view> bytes(std::size_t n) {
    if (m_data.size() < n) {
      return std::nullopt;
    }
    const auto out = m_data.substr(0, n);
    m_data.remove_prefix(n);
    return out;
  }
  std::optional<std::uint8_t> u8() { return number<std::uint8_t>(); }
  std::optional<std::uint16_t> u16() { return number<std::uint16_t>(); }
  std::optional<std::uint32_t> u32() { return number<std::uint32_t>(); }

  bool empty() const { return m_data.empty(); }
  std::string_view rest() const { return m_data; }
  std::size_t size() const { return m_data.size(); }

 private:
  template <typename T>
  std::optional<T> number() {
    const auto b = bytes(sizeof(T));
    if (!b) {
      return std::nullopt;
    }
    T value = 0;
    for (const char c : *b) {
      value = static_cast<T>((value << 8) | static_cast<unsigned char>(c));
    }
    return value;
  }

  std::string_view m_data;
};

}  // namespace volback::crypto
