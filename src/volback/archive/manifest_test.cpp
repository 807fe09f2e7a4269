#include <volback/archive/manifest.hpp>
#include <volback/archive/manifest_builder.hpp>

#include <sys/stat.h>

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include <volback/archive/test_support.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::archive {
namespace {

using test::TempDir;

const util::TimePoint k_manifest_mtime{std::chrono::duration_cast<util::TimePoint::duration>(
  std::chrono::seconds(1700000000) + std::chrono::nanoseconds(123456789))};

EntryInfo info(std::string path, EntryType type, std::uint32_t mode, std::uint64_t size = 0) {
  EntryInfo e;
  e.path = std::move(path);
  e.type = type;
  e.mode = mode;
  e.size = size;
  e.uid = 1000;
  e.gid = 2000;
  e.mtime = k_manifest_mtime;
  return e;
}

void feed_file(ManifestBuilder& builder, const std::string& path, std::string_view content) {
  builder.begin_entry(info(path, EntryType::regular, S_IFREG | 0640, content.size()));
  // Two calls: the hash covers the content however it is split.
  const auto bytes = std::as_bytes(std::span(content.data(), content.size()));
  builder.entry_data(bytes.first(content.size() / 2));
  builder.entry_data(bytes.subspan(content.size() / 2));
  builder.end_entry();
}

Manifest build_and_read(ManifestBuilder& builder) {
  io::MemorySink sink;
  TarWriter tar(sink, &builder);
  ManifestInfo head;
  head.volback_version = "9.9.9";
  head.compression = "gz";
  head.started = "2026-11-26T10:00:00Z";
  EXPECT_TRUE(builder.write_manifest(tar, head, k_manifest_mtime));
  EXPECT_TRUE(tar.finish());
  const auto read = test::read_tar(sink.data());
  EXPECT_TRUE(read.ok) << read.error;
  const auto* entry = test::find_entry(read, std::string(k_manifest_name));
  EXPECT_NE(entry, nullptr);
  if (entry == nullptr) {
    return {};
  }
  EXPECT_EQ(entry->uid, 0);
  EXPECT_EQ(entry->mode & 07777, 0644u);
  auto manifest = parse_manifest(entry->content);
  EXPECT_TRUE(manifest) << manifest.error().message();
  return manifest ? *manifest : Manifest{};
}

TEST(Manifest, RecordsEveryEntryWithItsHashAndVolumeTotals) {
  ManifestBuilder builder({.sources = "backup"});
  builder.begin_entry(info("backup", EntryType::directory, S_IFDIR | 0755));
  builder.end_entry();
  builder.begin_entry(info("backup/app", EntryType::directory, S_IFDIR | 0700));
  builder.end_entry();
  feed_file(builder, "backup/app/a.txt", "abc");
  feed_file(builder, "backup/app/empty", "");
  auto link = info("backup/app/link", EntryType::symlink, S_IFLNK | 0777);
  link.link_target = "a.txt";
  builder.begin_entry(link);
  builder.end_entry();
  auto hard = info("backup/db/b", EntryType::hardlink, S_IFREG | 0640);
  hard.link_target = "backup/app/a.txt";
  builder.begin_entry(hard);
  builder.end_entry();
  builder.begin_entry(info("backup/db/fifo", EntryType::other, S_IFIFO | 0600));
  builder.end_entry();

  const auto manifest = build_and_read(builder);
  ASSERT_EQ(manifest.entries.size(), 7u);
  EXPECT_EQ(manifest.info.volback_version, "9.9.9");
  EXPECT_EQ(manifest.info.compression, "gz");
  EXPECT_EQ(manifest.info.entry_count, 7u);
  EXPECT_EQ(manifest.info.sources, "backup");
  const auto& a = manifest.entries[2];
  EXPECT_EQ(a.path, "backup/app/a.txt");
  EXPECT_EQ(a.type, "file");
  EXPECT_EQ(a.size, 3u);
  EXPECT_EQ(a.mode, 0640u);
  EXPECT_EQ(a.uid, 1000);
  EXPECT_EQ(a.gid, 2000);
  EXPECT_EQ(a.mtime, 1700000000);
  EXPECT_EQ(a.mtime_nsec, 123456789);
  EXPECT_EQ(a.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(manifest.entries[3].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(manifest.entries[4].type, "symlink");
  EXPECT_EQ(manifest.entries[4].link, "a.txt");
  EXPECT_EQ(manifest.entries[5].type, "hardlink");
  EXPECT_EQ(manifest.entries[5].link, "backup/app/a.txt");
  EXPECT_TRUE(manifest.entries[5].sha256.empty());
  EXPECT_EQ(manifest.entries[6].type, "fifo");
  ASSERT_EQ(manifest.info.volumes.size(), 2u);
  EXPECT_EQ(manifest.info.volumes.at("app").files, 2u);
  EXPECT_EQ(manifest.info.volumes.at("app").bytes, 3u);
  EXPECT_EQ(manifest.info.volumes.at("app").entries, 4u);
  EXPECT_EQ(manifest.info.volumes.at("db").files, 0u);
}

TEST(Manifest, SpillsRowsPastTheThresholdAndStreamsThemBack) {
  TempDir dir;
  ManifestBuilder builder({.sources = "backup", .spill_dir = dir.path(), .spill_threshold = 256});
  for (int i = 0; i < 2000; ++i) {
    feed_file(builder, "backup/v/file-" + std::to_string(i), std::to_string(i));
  }
  EXPECT_GT(builder.spilled_bytes(), 0u);
  const auto manifest = build_and_read(builder);
  ASSERT_EQ(manifest.entries.size(), 2000u);
  EXPECT_EQ(manifest.entries[1999].path, "backup/v/file-1999");
  EXPECT_EQ(manifest.info.volumes.at("v").files, 2000u);
  // The spill file is anonymous: nothing is left in the directory.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(Manifest, AnArchiveWithoutEntriesHasAnEmptyManifest) {
  ManifestBuilder builder({.sources = "backup"});
  const auto manifest = build_and_read(builder);
  EXPECT_TRUE(manifest.entries.empty());
  EXPECT_EQ(manifest.info.volback_version, "9.9.9");
}

TEST(Manifest, NamesThatAreNotUtf8SurviveHexEncoded) {
  ManifestEntry entry;
  entry.type = "symlink";
  entry.path = std::string("backup/v/bad\xff\xfe name \"q\"\n");
  entry.link = "ok \\ target";
  const std::string doc = encode_manifest({}, {entry});
  const auto manifest = parse_manifest(doc);
  ASSERT_TRUE(manifest) << manifest.error().message();
  EXPECT_EQ(manifest->entries.at(0).path, entry.path);
  EXPECT_EQ(manifest->entries.at(0).link, entry.link);
}

TEST(Manifest, RejectsGarbageAndNewerFormats) {
  EXPECT_EQ(parse_manifest("{not json").error().kind(), util::ErrorKind::corrupt);
  EXPECT_EQ(parse_manifest("{\"entries\":[]}").error().kind(), util::ErrorKind::corrupt);
  ManifestInfo newer;
  newer.format = 99;
  EXPECT_EQ(parse_manifest(encode_manifest(newer, {})).error().kind(), util::ErrorKind::invalid_argument);
}

TEST(Manifest, VolumeOfIsTheFirstComponentUnderTheSources) {
  EXPECT_EQ(volume_of("backup/app/x/y", "backup"), "app");
  EXPECT_EQ(volume_of("backup/app", "backup"), "app");
  EXPECT_EQ(volume_of("backup", "backup"), std::nullopt);
  EXPECT_EQ(volume_of("backupx/app", "backup"), std::nullopt);
  EXPECT_EQ(volume_of("data/v/f", "data"), "v");
}

}  // namespace
}  // namespace volback::archive
