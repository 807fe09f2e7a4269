// The parallel gzip compressor on the edges of its blocks, with several threads and every
// level, checked by zlib (one member spanning the whole output) and by the tools.
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/compress/codec.hpp>
#include <volback/compress/deflate_block.hpp>
#include <volback/compress/gzip_sink.hpp>
#include <volback/compress/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::compress {
namespace {

using test::gunzip_one_member;
using test::random_bytes;

// Text-like data with long-distance repeats, so dictionaries matter.
std::string text_bytes(std::size_t size, unsigned seed) {
  static const char* const k_words[] = {"select ", "insert ", "workflow ", "node ", "{\"id\": ", "value ", "\n"};
  std::mt19937 gen(seed);
  std::string out;
  while (out.size() < size) {
    out += k_words[gen() % 7];
    out += std::to_string(gen() % 1000);
  }
  out.resize(size);
  return out;
}

std::string gzip(const std::string& data, int level, unsigned threads, std::size_t write_size) {
  io::MemorySink out;
  auto sink = make_gzip_sink({.level = level, .threads = threads}, out);
  for (std::size_t at = 0; at < data.size(); at += write_size) {
    auto r = sink->write(io::as_bytes(std::string_view(data).substr(at, write_size)));
    EXPECT_TRUE(r) << r.error().message();
  }
  auto r = sink->finish();
  EXPECT_TRUE(r) << r.error().message();
  EXPECT_TRUE(out.finished());
  return out.data();
}

TEST(GzipSinkTest, BlockEdges) {
  const std::size_t b = k_gzip_block_size;
  const std::vector<std::pair<std::string, std::string>> inputs = {
    {"empty", ""},
    {"one_byte", "x"},
    {"one_block", text_bytes(b, 1)},
    {"one_block_plus_one", text_bytes(b + 1, 2)},
    {"one_block_minus_one", text_bytes(b - 1, 3)},
    {"three_blocks_zeros", std::string(3 * b, '\0')},
    {"three_blocks_random", random_bytes(3 * b + 17, 4)},
  };
  for (const auto& [name, data] : inputs) {
    for (const unsigned threads : {1U, 2U, 3U}) {
      SCOPED_TRACE(name + " threads " + std::to_string(threads));
      EXPECT_EQ(gunzip_one_member(gzip(data, 0, threads, 300000)), data);
    }
  }
}

TEST(GzipSinkTest, EveryLevel) {
  const std::string data = text_bytes(2 * k_gzip_block_size + 12345, 5) + random_bytes(100000, 6);
  for (int level = 1; level <= 9; ++level) {
    SCOPED_TRACE(level);
    const std::string compressed = gzip(data, level, 2, 1 << 16);
    EXPECT_EQ(gunzip_one_member(compressed), data);
    EXPECT_LT(compressed.size(), data.size());
  }
}

// The dictionary primes each block: data repeating the previous block's tail compresses
// to a fraction of its size, with every engine and level.
TEST(GzipSinkTest, DictionaryPrimesTheBlock) {
  // 4000 bytes: within reach of ISA-L level 1's small hash table too.
  const std::string tail = random_bytes(4000, 7);
  const auto dict = io::as_bytes(tail);
  for (int level = 1; level <= 9; ++level) {
    auto deflater = make_block_deflater(deflate_engine_for_level(level));
    ASSERT_TRUE(deflater) << deflater.error().message();
    std::vector<std::byte> with_dict;
    std::vector<std::byte> without_dict;
    ASSERT_TRUE((*deflater)->compress(dict, dict, BlockEnd::sync_flush, with_dict));
    ASSERT_TRUE((*deflater)->compress({}, dict, BlockEnd::sync_flush, without_dict));
    EXPECT_LT(with_dict.size(), 200U) << "level " << level;
    EXPECT_GT(without_dict.size(), 3900U) << "level " << level;
  }
}

TEST(GzipSinkTest, EngineChoice) {
  EXPECT_EQ(deflate_engine_for_level(1).engine, DeflateEngine::isal);
  EXPECT_EQ(deflate_engine_for_level(9).engine, DeflateEngine::zlib);
  EXPECT_EQ(deflate_engine_for_level(9).engine_level, 9);
  EXPECT_FALSE(make_block_deflater({DeflateEngine::isal, 4}));
  EXPECT_FALSE(make_block_deflater({DeflateEngine::zlib, 0}));
}

TEST(GzipSinkTest, GzipAndPigzAccept) {
  const volback::testing::TempDir dir("volback-gzip");
  const std::string data = text_bytes(k_gzip_block_size * 2 + 1, 8);
  const std::string file = dir / "out.gz";
  volback::testing::write_file(file, gzip(data, 0, 2, 1 << 16));
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/gzip"));
  EXPECT_EQ(std::system(("/usr/bin/gzip -t " + file).c_str()), 0);
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/pigz")) << "pigz is a test dependency";
  EXPECT_EQ(std::system(("/usr/bin/pigz -t " + file).c_str()), 0);
}

}  // namespace
}  // namespace volback::compress
