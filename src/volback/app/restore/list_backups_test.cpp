#include <volback/app/restore/list_backups.hpp>

#include <algorithm>
#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/testing/memory_backend.hpp>

namespace volback::app {
namespace {

util::TimePoint at(int seconds) {
  return util::TimePoint{} + std::chrono::seconds(1'800'000'000 + seconds);
}

void put(testing::MemoryBackend& backend, const std::string& key, std::size_t size, util::TimePoint when) {
  backend.objects[key] = testing::MemoryBackend::Object{std::string(size, 'x'), when};
}

TEST(ListBackups, MergesBackendsNewestFirstAndFlagsPartialCopies) {
  util::FixedClock clock(at(0));
  testing::MemoryBackend local(clock, "Local");
  testing::MemoryBackend s3(clock, "S3");
  put(local, "backup-1.tar.gz", 10, at(10));
  put(s3, "backup-1.tar.gz", 10, at(12));
  put(local, "backup-2.tar.gz", 2048, at(20));
  put(local, "other", 1, at(30));
  storage::Backend* backends[] = {&local, &s3};

  const auto listed = collect_backups(backends, "backup-");
  ASSERT_TRUE(listed.errors.empty());
  ASSERT_EQ(listed.backups.size(), 2u);
  EXPECT_EQ(listed.backups[0].name, "backup-2.tar.gz");
  EXPECT_EQ(listed.backups[0].backends, std::vector<std::string>{"Local"});
  EXPECT_EQ(listed.backups[0].missing, std::vector<std::string>{"S3"});
  EXPECT_EQ(listed.backups[1].name, "backup-1.tar.gz");
  EXPECT_EQ(listed.backups[1].backends, (std::vector<std::string>{"Local", "S3"}));
  EXPECT_TRUE(listed.backups[1].missing.empty());
  EXPECT_EQ(listed.backups[1].time, at(10));

  const auto text = format_listing_text(listed.backups, util::TimeZone::utc());
  EXPECT_NE(text.find("2.0 KiB"), std::string::npos) << text;
  EXPECT_NE(text.find("only on some backends: missing from S3"), std::string::npos) << text;

  const auto json = nlohmann::json::parse(format_listing_json(listed.backups));
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["name"], "backup-2.tar.gz");
  EXPECT_EQ(json[0]["complete"], false);
  EXPECT_EQ(json[1]["complete"], true);
  EXPECT_EQ(json[1]["size"], 10);
}

TEST(ListBackups, HostileNamesCannotForgeRowsOrDriveTheTerminal) {
  util::FixedClock clock(at(0));
  testing::MemoryBackend local(clock, "Local");
  const std::string forged = "backup-x.tar.gz\nbackup-2099-01-01.tar.gz      1 B  2099-01-01T00:00:00Z  Local";
  const std::string escape = "backup-\x1b[2J\x1b]0;pwned\x07\r.tar.gz";
  const std::string invalid = "backup-\xff\xfe\xc2\x9b.tar.gz";
  put(local, forged, 1, at(1));
  put(local, escape, 1, at(2));
  put(local, invalid, 1, at(3));
  storage::Backend* backends[] = {&local};
  const auto listed = collect_backups(backends, "backup-");
  ASSERT_EQ(listed.backups.size(), 3u);

  const auto text = format_listing_text(listed.backups, util::TimeZone::utc());
  // A header and exactly one row per backup, with nothing but printable ASCII.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u < 0x7f)) << "byte " << static_cast<int>(u) << " in\n" << text;
  }
  EXPECT_NE(text.find("backup-\\xff\\xfe\\u009b.tar.gz"), std::string::npos) << text;
  EXPECT_NE(text.find("backup-\\x1b[2J\\x1b]0;pwned\\x07\\r.tar.gz"), std::string::npos) << text;
  EXPECT_NE(text.find("backup-x.tar.gz\\nbackup-2099-01-01.tar.gz"), std::string::npos) << text;

  // --json keeps the names exact (JSON-escaped), except invalid UTF-8, which JSON cannot hold.
  const std::string json_text = format_listing_json(listed.backups);
  EXPECT_EQ(json_text.find('\x1b'), std::string::npos);
  EXPECT_NE(json_text.find("\\u001b[2J"), std::string::npos) << json_text;
  const auto json = nlohmann::json::parse(json_text);
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[1]["name"], escape);
  EXPECT_EQ(json[2]["name"], forged);
  EXPECT_EQ(json[0]["name"], "backup-\xef\xbf\xbd\xef\xbf\xbd\xc2\x9b.tar.gz");
}

}  // namespace
}  // namespace volback::app
