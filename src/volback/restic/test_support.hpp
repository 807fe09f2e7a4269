#pragma once
// Helpers for the restic module's tests: hex to bytes, the master key of the format
// description's test vector (§3.6) and that of a repository restic made.

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <volback/restic/master_key.hpp>

namespace volback::restic::testing {

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

inline std::span<const unsigned char> bytes_of(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

inline MasterKey vector_master_key() {
  const std::string bytes = from_hex(
    "a21de10ba86a831db2b234653baa788c1bea09f0a032f2be6bbdb96a87ce1e9e"
    "aa21a82d2fea8888f40c012c22db1727"
    "53872e0978e9e90f606c5e01dccfb205");
  auto key = MasterKey::from_derived(bytes_of(bytes));
  EXPECT_TRUE(key);
  return std::move(*key);
}

// The master key of a repository `restic init` (0.14) made with the password
// "volback-test" (its key file is in key_file_test.cpp); unpacked_file_test.cpp,
// repo_config_test.cpp and pack_test.cpp hold files restic wrote there.
inline MasterKey restic_repository_key() {
  const std::string bytes = from_hex(
    "bf89cecbcbbf8bc037f01f0ee1b301763044f339f18ffad55d526cc5be6f2d24"
    "a5c515a6af86b0e31f3ac0f022c41179"
    "5c639204c044b10c2427fe00547fb501");
  return MasterKey::from_derived(bytes_of(bytes)).value();
}

}  // namespace volback::restic::testing
