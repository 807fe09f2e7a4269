#include <map>
#include <string>

#include <gtest/gtest.h>

#include <volback/compress/compression_settings.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::compress {
namespace {

util::Result<CompressionSettings> parse(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_compression_settings(settings);
}

TEST(CompressionSettingsTest, Defaults) {
  auto s = parse({});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->codec, Codec::gzip);
  EXPECT_EQ(s->threads, util::memory_plan().compression_threads);
}

TEST(CompressionSettingsTest, Codecs) {
  auto zst = parse({{"BACKUP_COMPRESSION", "zst"}});
  ASSERT_TRUE(zst) << zst.error().message();
  EXPECT_EQ(zst->codec, Codec::zstd);
  EXPECT_EQ(zst->threads, util::memory_plan().compression_threads);

  auto none = parse({{"BACKUP_COMPRESSION", "none"}, {"GZIP_PARALLELISM", "3"}});
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_EQ(none->codec, Codec::none);
  EXPECT_EQ(none->threads, 1U);

  auto gz = parse({{"BACKUP_COMPRESSION", "gz"}});
  ASSERT_TRUE(gz) << gz.error().message();
  EXPECT_EQ(gz->codec, Codec::gzip);
}

TEST(CompressionSettingsTest, UnknownCodecNamesTheVariable) {
  auto s = parse({{"BACKUP_COMPRESSION", "bz2"}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(s.error().message().find("BACKUP_COMPRESSION"), std::string::npos) << s.error().message();
  EXPECT_NE(s.error().message().find("bz2"), std::string::npos) << s.error().message();
}

TEST(CompressionSettingsTest, GzipParallelism) {
  auto four = parse({{"GZIP_PARALLELISM", "4"}});
  ASSERT_TRUE(four) << four.error().message();
  EXPECT_EQ(four->threads, 4U);

  auto one = parse({{"GZIP_PARALLELISM", "1"}});
  ASSERT_TRUE(one) << one.error().message();
  EXPECT_EQ(one->threads, 1U);

  auto zero = parse({{"GZIP_PARALLELISM", "0"}});
  ASSERT_TRUE(zero) << zero.error().message();
  EXPECT_EQ(zero->threads, util::memory_plan().compression_threads);

  auto empty = parse({{"GZIP_PARALLELISM", ""}});
  ASSERT_TRUE(empty) << empty.error().message();
  EXPECT_EQ(empty->threads, util::memory_plan().compression_threads);

  // zstd ignores GZIP_PARALLELISM, as offen does.
  auto zst = parse({{"BACKUP_COMPRESSION", "zst"}, {"GZIP_PARALLELISM", "1"}});
  ASSERT_TRUE(zst) << zst.error().message();
  EXPECT_EQ(zst->threads, util::memory_plan().compression_threads);
}

TEST(CompressionSettingsTest, BadParallelismNamesTheVariable) {
  for (const char* value : {"-1", "abc", "2.5"}) {
    auto s = parse({{"GZIP_PARALLELISM", value}});
    ASSERT_FALSE(s) << value;
    EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(s.error().message().find("GZIP_PARALLELISM"), std::string::npos) << s.error().message();
  }
}

TEST(CompressionSettingsTest, SpecsAreListed) {
  const auto specs = compression_setting_specs();
  ASSERT_EQ(specs.size(), 3U);
  EXPECT_EQ(specs[0].name, "BACKUP_COMPRESSION");
  EXPECT_EQ(specs[0].default_value, "gz");
  EXPECT_EQ(specs[1].name, "GZIP_PARALLELISM");
  EXPECT_EQ(specs[1].default_value, "");
  EXPECT_EQ(specs[2].name, "BACKUP_COMPRESSION_LEVEL");
  EXPECT_EQ(specs[2].default_value, "");
}

TEST(CompressionSettingsTest, Level) {
  auto unset = parse({});
  ASSERT_TRUE(unset) << unset.error().message();
  EXPECT_EQ(unset->level, 0);

  auto gz9 = parse({{"BACKUP_COMPRESSION_LEVEL", "9"}});
  ASSERT_TRUE(gz9) << gz9.error().message();
  EXPECT_EQ(gz9->level, 9);

  auto zst19 = parse({{"BACKUP_COMPRESSION", "zst"}, {"BACKUP_COMPRESSION_LEVEL", "19"}});
  ASSERT_TRUE(zst19) << zst19.error().message();
  EXPECT_EQ(zst19->level, 19);

  auto none = parse({{"BACKUP_COMPRESSION", "none"}, {"BACKUP_COMPRESSION_LEVEL", "5"}});
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_EQ(none->level, 0);
}

TEST(CompressionSettingsTest, LevelOutOfTheCodecsRange) {
  const std::map<std::string, std::string, std::less<>> bad[] = {
    {{"BACKUP_COMPRESSION_LEVEL", "10"}},
    {{"BACKUP_COMPRESSION_LEVEL", "0"}},
    {{"BACKUP_COMPRESSION_LEVEL", "fast"}},
    {{"BACKUP_COMPRESSION", "zst"}, {"BACKUP_COMPRESSION_LEVEL", "20"}},
    {{"BACKUP_COMPRESSION", "zst"}, {"BACKUP_COMPRESSION_LEVEL", "-1"}},
  };
  for (const auto& env : bad) {
    auto s = parse(env);
    ASSERT_FALSE(s) << env.rbegin()->second;
    EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(s.error().message().find("BACKUP_COMPRESSION_LEVEL"), std::string::npos) << s.error().message();
  }
}

}  // namespace
}  // namespace volback::compress
