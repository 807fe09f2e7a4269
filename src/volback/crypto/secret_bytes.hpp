#pragma once
// SecretBytes: key material (file keys, session keys, passphrases, private scalars) that
// is wiped (OPENSSL_cleanse) when it is destroyed or overwritten. Moving leaves the source
// empty, so each byte lives in one place. Best effort: it cannot reach copies the kernel
// or a library made. Not thread-safe, like std::vector.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace volback::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : m_bytes(size) {}
  explicit SecretBytes(std::string_view bytes) : m_bytes(bytes.begin(), bytes.end()) {}
  explicit SecretBytes(std::span<const unsigned char> bytes) : m_bytes(bytes.begin(), bytes.end()) {}
  SecretBytes(const SecretBytes& other) : m_bytes(other.m_bytes) {}
  SecretBytes(SecretBytes&& other) noexcept : m_bytes(std::move(other.m_bytes)) { other.m_bytes.clear(); }
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { wipe(); }

  unsigned char* data() { return m_bytes.data(); }
  const unsigned char* data() const { return m_bytes.data(); }
  std::size_t size() const { return m_bytes.size(); }
  bool empty() const { return m_bytes.empty(); }
  std::span<const unsigned char> span() const { return m_bytes; }
  std::span<unsigned char> span() { return m_bytes; }
  std::string_view view() const { return {reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size()}; }
  // Constant-time comparison.
  bool equals(std::span<const unsigned char> other) const;

 private:
  void wipe();
  std::vector<unsigned char> m_bytes;
};

}  // namespace volback::crypto
