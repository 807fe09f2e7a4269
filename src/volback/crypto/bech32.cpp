#include <volback/crypto/bech32.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace volback::crypto {

namespace {

constexpr std::string_view k_charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod(const std::vector<std::uint8_t>& values) {
  constexpr std::uint32_t k_gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  std::uint32_t chk = 1;
  for (const std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) {
        chk ^= k_gen[i];
      }
    }
  }
  return chk;
}

std::vector<std::uint8_t> hrp_expand(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  for (const char c : hrp) {
    out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  }
  out.push_back(0);
  for (const char c : hrp) {
    out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  }
  return out;
}

// Regroups bits: 8 → 5 (with padding) or 5 → 8 (padding must be zero and short).
std::optional<std::vector<std::uint8_t>> convert_bits(const std::vector<std::uint8_t>& in, int from, int to, bool pad) {
  std::uint32_t acc = 0;
  int bits = 0;
  std::vector<std::uint8_t> out;
  const std::uint32_t max = (1u << to) - 1;
  for (const std::uint8_t v : in) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & max));
    }
  }
  if (pad) {
    if (bits > 0) {
      out.push_back(static_cast<std::uint8_t>((acc << (to - bits)) & max));
    }
  } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
    return std::nullopt;
  }
  return out;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string bech32_encode(std::string_view hrp, std::string_view data, bool upper) {
  std::string lower_hrp;
  for (const char c : hrp) {
    lower_hrp += lower(c);
  }
  std::vector<std::uint8_t> bytes(data.begin(), data.end());
  auto values = *convert_bits(bytes, 8, 5, true);
  auto check_input = hrp_expand(lower_hrp);
  check_input.insert(check_input.end(), values.begin(), values.end());
  check_input.insert(check_input.end(), 6, 0);
  const std::uint32_t mod = polymod(check_input) ^ 1;
  for (int i = 0; i < 6; ++i) {
    values.push_back(static_cast<std::uint8_t>((mod >> (5 * (5 - i))) & 31));
  }
  std::string out = lower_hrp + "1";
  for (const std::uint8_t v : values) {
    out += k_charset[v];
  }
  if (upper) {
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  }
  return out;
}

std::optional<Bech32> bech32_decode(std::string_view text) {
  bool has_lower = false;
  bool has_upper = false;
  for (const char c : text) {
    if (c < 33 || c > 126) {
      return std::nullopt;
    }
    has_lower = has_lower || (c >= 'a' && c <= 'z');
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) {
    return std::nullopt;
  }
  const auto sep = text.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || sep + 7 > text.size()) {
    return std::nullopt;
  }
  std::string hrp;
  for (const char c : text.substr(0, sep)) {
    hrp += lower(c);
  }
  std::vector<std::uint8_t> values;
  for (const char c : text.substr(sep + 1)) {
    const auto at = k_charset.find(lower(c));
    if (at == std::string_view::npos) {
      return std::nullopt;
    }
    values.push_back(static_cast<std::uint8_t>(at));
  }
  auto check_input = hrp_expand(hrp);
  check_input.insert(check_input.end(), values.begin(), values.end());
  if (polymod(check_input) != 1) {
    return std::nullopt;
  }
  values.resize(values.size() - 6);
  auto bytes = convert_bits(values, 5, 8, false);
  if (!bytes) {
    return std::nullopt;
  }
  return Bech32{std::move(hrp), std::string(bytes->begin(), bytes->end())};
}

}  // namespace volback::crypto
