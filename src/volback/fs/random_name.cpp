#include <volback/fs/random_name.hpp>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <random>
#include <span>
#include <string_view>

namespace volback::fs {

namespace {

constexpr std::string_view k_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
// Bytes at or above this value are rejected so that every character is equally likely
// (252 = 7 * 36).
constexpr unsigned k_reject_from = 256 - 256 % k_alphabet.size();

// Fills `buf` from getrandom(). getrandom() only fails on kernels without it (ENOSYS) or
// in seccomp sandboxes; std::random_device is the fallback there.
void fill_random(std::span<unsigned char> buf) {
  std::size_t done = 0;
  while (done < buf.size()) {
    const ssize_t n = ::getrandom(buf.data() + done, buf.size() - done, 0);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::random_device device;
      for (; done < buf.size(); ++done) {
        buf[done] = static_cast<unsigned char>(device());
      }
    }
  }
}

}  // namespace

std::string random_suffix(std::size_t length) {
  std::string out;
  out.reserve(length);
  std::array<unsigned char, 64> buf{};
  while (out.size() < length) {
    fill_random(buf);
    for (const unsigned char b : buf) {
      if (b < k_reject_from && out.size() < length) {
        out += k_alphabet[b % k_alphabet.size()];
      }
    }
  }
  return out;
}

}  // namespace volback::fs
