#pragma once
// Bech32 (BIP 173), as age encodes its keys: "age1…" recipients and "AGE-SECRET-KEY-1…"
// identities. Without BIP 173's 90-character limit, as age. Pure, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace volback::crypto {

struct Bech32 {
  std::string hrp;   // lower case
  std::string data;  // the payload bytes (8-bit groups)
};

// Encodes `data` under `hrp`; upper case when `upper`.
std::string bech32_encode(std::string_view hrp, std::string_view data, bool upper = false);

// Decodes a Bech32 string, or nullopt when it is not one: mixed case, a character
// outside the charset, a bad checksum, or padding bits that are not zero.
std::optional<Bech32> bech32_decode(std::string_view text);

}  // namespace volback::crypto
