#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/compress/codec.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::compress {
namespace {

class FailingSource final : public io::Source {
 public:
  util::Result<std::size_t> read(std::span<std::byte>) override {
    return util::fail(util::ErrorKind::transient, "network down");
  }
};

std::string mixed_bytes(std::size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = (i / 4096) % 2 == 0 ? static_cast<char>(gen() & 0xff) : static_cast<char>('a' + i % 7);
  }
  return out;
}

std::string compress(Codec codec, const std::string& data, unsigned threads = 2) {
  io::MemorySink out;
  auto sink = make_compressor(codec, {.level = 0, .threads = threads}, out);
  EXPECT_TRUE(sink->write(io::as_bytes(data)));
  EXPECT_TRUE(sink->finish());
  return out.data();
}

util::Result<std::string> read_all(Codec codec, io::Source& raw, std::size_t buf_size = 100000) {
  auto source = make_decompressor(codec, raw);
  std::string out;
  std::vector<std::byte> buf(buf_size);
  for (;;) {
    VOLBACK_TRY_ASSIGN(const std::size_t n, source->read(buf));
    if (n == 0) {
      return out;
    }
    out.append(reinterpret_cast<const char*>(buf.data()), n);
  }
}

std::string codec_name(const ::testing::TestParamInfo<Codec>& param_info) {
  switch (param_info.param) {
  case Codec::none: return "none";
  case Codec::gzip: return "gzip";
  case Codec::zstd: return "zstd";
  }
  return "unknown";
}

class DecompressorTest : public ::testing::TestWithParam<Codec> {};
// The codecs with framing and checksums (not none).
class FramedDecompressorTest : public ::testing::TestWithParam<Codec> {};

TEST_P(DecompressorTest, RoundTrips) {
  for (const std::string& data :
       {std::string(), std::string("x"), mixed_bytes(3 << 20, 1), std::string(5 << 20, '\0')}) {
    for (const std::size_t chunk : {std::size_t{1} << 20, std::size_t{777}}) {
      io::MemorySource raw(compress(GetParam(), data), chunk);
      auto got = read_all(GetParam(), raw, chunk == 777 ? 4096 : 100000);
      ASSERT_TRUE(got) << got.error().message();
      EXPECT_EQ(*got, data) << "size " << data.size() << " chunk " << chunk;
    }
  }
}

TEST_P(DecompressorTest, ConcatenatedStreams) {
  const std::string a = mixed_bytes(200000, 2);
  const std::string b = "second part";
  io::MemorySource raw(compress(GetParam(), a) + compress(GetParam(), b));
  auto got = read_all(GetParam(), raw);
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(*got, a + b);
}

TEST_P(DecompressorTest, PropagatesSourceErrors) {
  FailingSource raw;
  auto got = read_all(GetParam(), raw);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind(), util::ErrorKind::transient);
}

TEST_P(FramedDecompressorTest, TruncatedIsCorrupt) {
  const std::string full = compress(GetParam(), mixed_bytes(1 << 20, 3));
  for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, full.size() / 2, full.size() - 1}) {
    io::MemorySource raw(full.substr(0, keep));
    auto got = read_all(GetParam(), raw);
    ASSERT_FALSE(got) << "kept " << keep;
    EXPECT_EQ(got.error().kind(), util::ErrorKind::corrupt) << got.error().message();
  }
}

TEST_P(FramedDecompressorTest, FlippedByteIsCorrupt) {
  std::string bad = compress(GetParam(), mixed_bytes(1 << 20, 4));
  bad[bad.size() - 6] = static_cast<char>(bad[bad.size() - 6] ^ 0x40);  // inside the checksum or length
  io::MemorySource raw(bad);
  auto got = read_all(GetParam(), raw);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind(), util::ErrorKind::corrupt) << got.error().message();
}

TEST_P(FramedDecompressorTest, ErrorsAreSticky) {
  io::MemorySource raw("definitely not compressed data, long enough to have a header........");
  auto source = make_decompressor(GetParam(), raw);
  std::vector<std::byte> buf(4096);
  auto first = source->read(buf);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().kind(), util::ErrorKind::corrupt);
  EXPECT_FALSE(source->read(buf));
}

INSTANTIATE_TEST_SUITE_P(Codecs, DecompressorTest, ::testing::Values(Codec::none, Codec::gzip, Codec::zstd),
                         codec_name);
INSTANTIATE_TEST_SUITE_P(Codecs, FramedDecompressorTest, ::testing::Values(Codec::gzip, Codec::zstd), codec_name);

}  // namespace
}  // namespace volback::compress
