#include <volback/crypto/blowfish.hpp>

namespace volback::crypto {

namespace {

// The next 4 bytes of `data`, big-endian, wrapping around at its end.
std::uint32_t stream_word(std::span<const std::uint8_t> data, std::size_t& at) {
  std::uint32_t word = 0;
  for (int i = 0; i < 4; ++i) {
    if (at >= data.size()) {
      at = 0;
    }
    word = (word << 8) | data[at++];
  }
  return word;
}

}  // namespace

Blowfish::Blowfish() {
  for (std::size_t i = 0; i < 18; ++i) {
    m_p[i] = k_blowfish_pi_words[i];
  }
  for (std::size_t box = 0; box < 4; ++box) {
    for (std::size_t i = 0; i < 256; ++i) {
      m_s[box][i] = k_blowfish_pi_words[18 + box * 256 + i];
    }
  }
}

std::uint32_t Blowfish::f(std::uint32_t x) const {
  return ((m_s[0][x >> 24] + m_s[1][(x >> 16) & 0xff]) ^ m_s[2][(x >> 8) & 0xff]) + m_s[3][x & 0xff];
}

void Blowfish::encrypt(std::uint32_t& left, std::uint32_t& right) const {
  std::uint32_t l = left;
  std::uint32_t r = right;
  for (std::size_t i = 0; i < 16; i += 2) {
    l ^= m_p[i];
    r ^= f(l);
    r ^= m_p[i + 1];
    l ^= f(r);
  }
  l ^= m_p[16];
  r ^= m_p[17];
  left = r;
  right = l;
}

void Blowfish::set_key(std::span<const std::uint8_t> key) {
  expand0(key);
}

void Blowfish::expand(std::span<const std::uint8_t> data, std::span<const std::uint8_t> key) {
  std::size_t at = 0;
  for (auto& p : m_p) {
    p ^= stream_word(key, at);
  }
  std::size_t data_at = 0;
  std::uint32_t l = 0;
  std::uint32_t r = 0;
  for (std::size_t i = 0; i < 18; i += 2) {
    l ^= stream_word(data, data_at);
    r ^= stream_word(data, data_at);
    encrypt(l, r);
    m_p[i] = l;
    m_p[i + 1] = r;
  }
  for (auto& box : m_s) {
    for (std::size_t i = 0; i < 256; i += 2) {
      l ^= stream_word(data, data_at);
      r ^= stream_word(data, data_at);
      encrypt(l, r);
      box[i] = l;
      box[i + 1] = r;
    }
  }
}

void Blowfish::expand0(std::span<const std::uint8_t> key) {
  std::size_t at = 0;
  for (auto& p : m_p) {
    p ^= stream_word(key, at);
  }
  std::uint32_t l = 0;
  std::uint32_t r = 0;
  for (std::size_t i = 0; i < 18; i += 2) {
    encrypt(l, r);
    m_p[i] = l;
    m_p[i + 1] = r;
  }
  for (auto& box : m_s) {
    for (std::size_t i = 0; i < 256; i += 2) {
      encrypt(l, r);
      box[i] = l;
      box[i + 1] = r;
    }
  }
}

}  // namespace volback::crypto
