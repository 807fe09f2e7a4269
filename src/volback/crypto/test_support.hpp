#pragma once
// Helpers of the crypto module's unit tests.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <volback/crypto/primitives.hpp>
#include <volback/io/source.hpp>

namespace volback::crypto::testing {

inline std::string testdata(const std::string& relative) {
  return std::string(VOLBACK_CRYPTO_TESTDATA) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The age1… recipient of the identity that the `age` tool made (testdata/agetool/x25519.txt).
inline std::string age_tool_recipient() {
  const auto text = read_file(testdata("agetool/x25519.txt"));
  const auto at = text.find("age1");
  return text.substr(at, text.find('\n', at) - at);
}

// Reads `source` to its end, or to its first error; `out` holds what was read either way.
inline util::Result<void> read_all(io::Source& source, std::string& out, std::size_t buffer_size = 7000) {
  std::vector<std::byte> buffer(buffer_size);
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto n, source.read(buffer));
    if (n == 0) {
      return {};
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), n);
  }
}

inline std::string sha256_hex(std::string_view data) {
  return to_hex(as_uchars(hash_of(Hash::sha256, as_uchars(data))));
}

// Deterministic bytes that do not compress.
inline std::string pseudo_random(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint64_t x = 0x9e3779b97f4a7c15ull * (seed + 1);
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  return out;
}

}  // namespace volback::crypto::testing
