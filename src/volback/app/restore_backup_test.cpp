#include <volback/app/restore_backup.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

#include <volback/app/write_archive.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::app {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Backs up <dir>/src (volumes app and db) into memory with gzip.
std::string backup_of(const std::string& source) {
  io::MemorySink out;
  util::CapturingLogger log;
  util::CancelToken cancel;
  auto written = write_archive({.source = source, .exclude_pattern = std::nullopt},
                               {.codec = compress::Codec::gzip, .threads = 1}, {}, out, log, cancel);
  EXPECT_TRUE(written) << written.error().message();
  return out.data();
}

void make_tree(const std::string& src) {
  std::filesystem::create_directories(src + "/app/sub");
  std::filesystem::create_directories(src + "/db");
  write_file(src + "/app/a.txt", "alpha");
  write_file(src + "/app/sub/b.bin", std::string(100000, 'b'));
  ::chmod((src + "/app/a.txt").c_str(), 0604);
  ::symlink("a.txt", (src + "/app/link").c_str());
  ::link((src + "/app/a.txt").c_str(), (src + "/app/hard").c_str());
  write_file(src + "/db/data", "db-content");
}

RestoreTargets to_dir(const std::string& dir, Overwrite overwrite = Overwrite::no) {
  RestoreTargets t;
  t.target_of = [dir](const std::string& volume) -> std::optional<std::string> { return dir + "/" + volume; };
  t.overwrite = overwrite;
  t.read_only_hint = [](const std::string&, const std::string&) { return std::string("read-only"); };
  return t;
}

util::Result<RestoreSummary> restore(const std::string& archive, const RestoreTargets& targets) {
  io::MemorySource source(archive, 4096);
  util::CapturingLogger log;
  util::CancelToken cancel;
  return restore_archive(source, targets, "test", log, cancel);
}

TEST(RestoreBackup, RestoresEveryVolumeWithContentModesAndLinks) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  const auto summary = restore(archive, to_dir(dir / "out"));
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_TRUE(summary->verified);
  ASSERT_EQ(summary->volumes.size(), 2u);
  EXPECT_EQ(read_file(dir / "out/app/a.txt"), "alpha");
  EXPECT_EQ(read_file(dir / "out/app/sub/b.bin"), std::string(100000, 'b'));
  EXPECT_EQ(read_file(dir / "out/db/data"), "db-content");
  struct stat a {}, h {};
  ASSERT_EQ(::stat((dir / "out/app/a.txt").c_str(), &a), 0);
  ASSERT_EQ(::stat((dir / "out/app/hard").c_str(), &h), 0);
  EXPECT_EQ(a.st_mode & 07777, 0604u);
  EXPECT_EQ(a.st_ino, h.st_ino);
  EXPECT_EQ(std::filesystem::read_symlink(dir / "out/app/link"), "a.txt");
  for (const auto& e : std::filesystem::directory_iterator(dir / "out/app")) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".volback-")) << e.path();
  }
}

TEST(RestoreBackup, RefusesANonEmptyTargetWithoutOverwriteAndChangesNothing) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  std::filesystem::create_directories(dir / "out/app");
  write_file(dir / "out/app/keep", "mine");
  const auto refused = restore(archive, to_dir(dir / "out"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("--overwrite"), std::string::npos);
  EXPECT_EQ(read_file(dir / "out/app/keep"), "mine");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "out/app"), {}), 1);

  const auto done = restore(archive, to_dir(dir / "out", Overwrite::yes));
  ASSERT_TRUE(done) << done.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir / "out/app/keep"));
  EXPECT_EQ(read_file(dir / "out/app/a.txt"), "alpha");
}

TEST(RestoreBackup, ACorruptArchiveLeavesTheTargetUntouched) {
  TempDir dir;
  make_tree(dir / "src");
  auto archive = backup_of(dir / "src");
  archive.resize(archive.size() - 40);  // the gzip trailer and the end of the tar are gone
  std::filesystem::create_directories(dir / "out/app");
  write_file(dir / "out/app/keep", "mine");
  const auto failed = restore(archive, to_dir(dir / "out", Overwrite::yes));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind(), util::ErrorKind::corrupt) << failed.error().message();
  EXPECT_EQ(read_file(dir / "out/app/keep"), "mine");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "out/app"), {}), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "out/db"));
}

TEST(RestoreBackup, ATargetReachedThroughASymlinkWorks) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  std::filesystem::create_directories(dir / "real");
  std::filesystem::create_directory_symlink(dir / "real", dir / "link");
  const auto summary = restore(archive, to_dir(dir / "link"));
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_EQ(read_file(dir / "real/app/a.txt"), "alpha");
}

TEST(RestoreBackup, DryRunChangesNothing) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  auto targets = to_dir(dir / "out");
  targets.dry_run = DryRun::yes;
  const auto summary = restore(archive, targets);
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_EQ(summary->volumes.size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

}  // namespace
}  // namespace volback::app
