#include <volback/app/restore/verify_backup.hpp>

#include <archive_entry.h>

#include <array>
#include <chrono>
#include <cstring>

#include <gtest/gtest.h>

#include <volback/archive/manifest_builder.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::app {
namespace {

enum class Mark { yes, no };
enum class WithManifest { yes, no };

const std::string k_content_a(10000, 'a');
const std::string k_content_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

void add_directory(archive::TarWriter& tar, const std::string& name, util::TimePoint mtime) {
  ::archive_entry* e = archive_entry_new();
  archive_entry_copy_pathname(e, name.c_str());
  archive_entry_set_filetype(e, AE_IFDIR);
  archive_entry_set_perm(e, 0755);
  archive_entry_set_mtime(e, std::chrono::duration_cast<std::chrono::seconds>(mtime.time_since_epoch()).count(), 0);
  EXPECT_TRUE(tar.begin_entry(e));
  EXPECT_TRUE(tar.end_entry());
  archive_entry_free(e);
}

// A small volback-like archive: two files in the volume directory backup/v, optionally
// marked and with the manifest, compressed with `codec`.
std::string make_archive(compress::Codec codec, Mark mark = Mark::yes, WithManifest with = WithManifest::yes) {
  io::MemorySink out;
  auto compressor = compress::make_compressor(codec, {}, out);
  archive::ManifestBuilder manifest({.sources = "backup"});
  archive::TarWriter tar(*compressor, &manifest);
  if (mark == Mark::yes) {
    const std::array header{archive::PaxRecord{"VOLBACK.version", "0.0.1"},
                            archive::PaxRecord{"VOLBACK.manifest", "1"}};
    EXPECT_TRUE(tar.write_global_header(header));
  }
  const util::TimePoint mtime{std::chrono::seconds(1700000000)};
  add_directory(tar, "backup", mtime);
  add_directory(tar, "backup/v", mtime);
  EXPECT_TRUE(tar.add_memory_file("backup/v/a", k_content_a, 0640, mtime));
  EXPECT_TRUE(tar.add_memory_file("backup/v/b", k_content_b, 0600, mtime));
  if (with == WithManifest::yes) {
    EXPECT_TRUE(manifest.write_manifest(tar, {}, mtime));
  }
  EXPECT_TRUE(tar.finish());
  EXPECT_TRUE(compressor->finish());
  return out.data();
}

VerifyReport verify(std::string data) {
  io::MemorySource source(std::move(data), 3000);
  util::CancelToken cancel;
  auto report = verify_archive(source, cancel);
  EXPECT_TRUE(report) << report.error().message();
  return report ? *report : VerifyReport{};
}

std::string joined(const VerifyReport& report) {
  std::string out;
  for (const auto& p : report.problems) {
    out += p + "\n";
  }
  return out;
}

TEST(VerifyBackup, IntactArchivesPassInEveryCodec) {
  for (auto codec : {compress::Codec::none, compress::Codec::gzip, compress::Codec::zstd}) {
    const auto report = verify(make_archive(codec));
    EXPECT_EQ(report.verdict, Verdict::intact) << joined(report);
    EXPECT_EQ(report.codec, codec);
    EXPECT_EQ(report.entries, 4u);
    EXPECT_EQ(report.files_hashed, 2u);
    EXPECT_EQ(report.volback_version, "0.0.1");
  }
}

TEST(VerifyBackup, AFlippedByteInAFileNamesThatFile) {
  auto data = make_archive(compress::Codec::none);
  const auto at = data.find(k_content_b);
  ASSERT_NE(at, std::string::npos);
  data[at + 10] = 'X';
  const auto report = verify(data);
  EXPECT_EQ(report.verdict, Verdict::corrupt);
  ASSERT_EQ(report.problems.size(), 1u) << joined(report);
  EXPECT_NE(report.problems[0].find("backup/v/b: content differs"), std::string::npos) << joined(report);
}

TEST(VerifyBackup, ACorruptCompressedStreamSaysWhere) {
  auto data = make_archive(compress::Codec::gzip);
  data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x55);
  const auto report = verify(data);
  EXPECT_EQ(report.verdict, Verdict::corrupt);
  const auto text = joined(report);
  EXPECT_TRUE(text.find("corrupt gzip stream") != std::string::npos ||
              text.find("content differs") != std::string::npos || text.find("damaged tar stream") != std::string::npos)
    << text;
}

TEST(VerifyBackup, ATruncatedArchiveIsCorrupt) {
  for (auto codec : {compress::Codec::none, compress::Codec::zstd}) {
    auto data = make_archive(codec);
    data.resize(data.size() / 2);
    const auto report = verify(data);
    EXPECT_EQ(report.verdict, Verdict::corrupt) << joined(report);
    EXPECT_FALSE(report.problems.empty());
  }
}

TEST(VerifyBackup, AGzipStreamWithoutItsTrailerIsCorrupt) {
  auto data = make_archive(compress::Codec::gzip);
  data.resize(data.size() - 8);  // CRC-32 and length gone; the tar inside is complete
  const auto report = verify(data);
  EXPECT_EQ(report.verdict, Verdict::corrupt);
  EXPECT_NE(joined(report).find("corrupt gzip stream"), std::string::npos) << joined(report);
}

TEST(VerifyBackup, AZstdStreamCutShortIsCorrupt) {
  auto data = make_archive(compress::Codec::zstd);
  data.resize(data.size() - 3);
  const auto report = verify(data);
  EXPECT_EQ(report.verdict, Verdict::corrupt);
  EXPECT_NE(joined(report).find("zstd"), std::string::npos) << joined(report);
}

TEST(VerifyBackup, AnUnmarkedArchiveIsForeign) {
  const auto report = verify(make_archive(compress::Codec::gzip, Mark::no, WithManifest::no));
  EXPECT_EQ(report.verdict, Verdict::foreign);
  EXPECT_EQ(report.entries, 4u);
}

TEST(VerifyBackup, AMarkedArchiveWithoutItsManifestIsCorrupt) {
  const auto report = verify(make_archive(compress::Codec::none, Mark::yes, WithManifest::no));
  EXPECT_EQ(report.verdict, Verdict::corrupt);
  EXPECT_NE(joined(report).find("has no volback-manifest.json"), std::string::npos) << joined(report);
}

}  // namespace
}  // namespace volback::app
