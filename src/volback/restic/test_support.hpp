#pragma once
// Helpers for the restic module's tests: hex to bytes, and the master key of the format
// description's test vector (§3.6).

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

}  // namespace volback::restic::testing
