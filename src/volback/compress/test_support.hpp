#pragma once
// Helpers shared by the compress module's unit tests: deterministic test data and a
// strict reference gunzip (zlib).

#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace volback::compress::test {

// Incompressible bytes, the same for the same seed.
inline std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(gen() & 0xff);
  }
  return out;
}

// Decompresses exactly one complete gzip member that must span all of `compressed`.
inline std::string gunzip_one_member(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  std::vector<unsigned char> buf(1 << 16);
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = buf.data();
    stream.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(buf.data()), buf.size() - stream.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(stream.avail_in, 0U) << "more than one member, or trailing data";
  inflateEnd(&stream);
  return out;
}

}  // namespace volback::compress::test
