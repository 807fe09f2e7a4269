#include <volback/app/restore/restore_backup.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

#include <archive_entry.h>

#include <volback/app/restore/test_support.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Backs up <dir>/src (volumes app and db) into memory with gzip.
std::string backup_of(const std::string& source) {
  return gzip_backup_of(source);
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

util::Result<RestoreSummary> restore(const std::string& archive, const RestoreTargets& targets,
                                     Verify verify = Verify::yes) {
  io::MemorySource source(archive, 4096);
  util::CapturingLogger log;
  util::CancelToken cancel;
  const TempDir state;
  return restore_archive(source, targets,
                         {.id = "test", .state_dir = state.path(), .spill_dir = state.path(), .verify = verify}, log,
                         cancel);
}

// A plain tar (no mark, no manifest) of `entries`: name, type ('d', 'f', 'l' symlink,
// 'h' hard link), content or link target.
struct PlainEntry {
  std::string name;
  char type;
  std::string data;
};
std::string plain_tar(const std::vector<PlainEntry>& entries) {
  io::MemorySink out;
  archive::TarWriter tar(out, nullptr);
  for (const auto& e : entries) {
    ::archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, e.name.c_str());
    archive_entry_set_perm(entry, 0644);
    switch (e.type) {
    case 'd': archive_entry_set_filetype(entry, AE_IFDIR); break;
    case 'l':
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_copy_symlink(entry, e.data.c_str());
      break;
    case 'h':
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_copy_hardlink(entry, e.data.c_str());
      break;
    default:
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
    }
    EXPECT_TRUE(tar.begin_entry(entry));
    if (e.type == 'f') {
      EXPECT_TRUE(tar.write_data(std::as_bytes(std::span(e.data.data(), e.data.size()))));
    }
    EXPECT_TRUE(tar.end_entry());
    archive_entry_free(entry);
  }
  EXPECT_TRUE(tar.finish());
  return out.data();
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
  struct stat a {
  }, h{};
  ASSERT_EQ(::stat((dir / "out/app/a.txt").c_str(), &a), 0);
  ASSERT_EQ(::stat((dir / "out/app/hard").c_str(), &h), 0);
  EXPECT_EQ(a.st_mode & 07777, 0604u);
  EXPECT_EQ(a.st_ino, h.st_ino);
  EXPECT_EQ(std::filesystem::read_symlink(dir / "out/app/link"), "a.txt");
  for (const auto& e : std::filesystem::directory_iterator(dir / "out/app")) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".volback-")) << e.path();
  }
}

TEST(RestoreBackup, ZerosStoredDenseComeBackAsHoles) {
  TempDir dir;
  std::filesystem::create_directories(dir / "src/app");
  const std::string image = dir / "src/app/disk.img";
  {
    const int fd = ::open(image.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 8 << 20), 0);
    ASSERT_EQ(::pwrite(fd, "middle", 6, 3 << 20), 6);
    ::close(fd);
  }
  const auto archive = backup_of(dir / "src");  // the default layout: stored dense
  const auto summary = restore(archive, to_dir(dir / "out"));
  ASSERT_TRUE(summary) << summary.error().message();
  const std::string restored = dir / "out/app/disk.img";
  const auto content = read_file(restored);
  ASSERT_EQ(content.size(), 8u << 20);
  EXPECT_EQ(content.substr(3 << 20, 6), "middle");
  struct stat st {};
  ASSERT_EQ(::stat(restored.c_str(), &st), 0);
  EXPECT_LT(static_cast<std::uint64_t>(st.st_blocks) * 512, 1u << 20);  // holes punched again
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

TEST(RestoreBackup, AFailingWriteFailsTheRestoreAndChangesNothing) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  std::filesystem::create_directories(dir / "out/app");
  write_file(dir / "out/app/keep", "mine");
  // In a child whose files may not grow past 64 KiB, the 100 KB file's writes fail
  // (EFBIG), as they would with ENOSPC or EIO.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const struct rlimit limit { 64 * 1024, 64 * 1024 };
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const auto result = restore(archive, to_dir(dir / "out", Overwrite::yes));
    const bool failed_cleanly = !result && result.error().message().find("nothing was changed") != std::string::npos &&
                                result.error().message().find("File too large") != std::string::npos;
    ::_exit(failed_cleanly ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_file(dir / "out/app/keep"), "mine");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "out/app"), {}), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "out/db"));
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

TEST(RestoreBackup, AForeignArchiveNeedsNoVerify) {
  TempDir dir;
  const auto archive = plain_tar({{"backup", 'd', ""}, {"backup/app", 'd', ""}, {"backup/app/f", 'f', "plain"}});
  const auto refused = restore(archive, to_dir(dir / "out"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(refused.error().message().find("--no-verify"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "out/app"));
  const auto done = restore(archive, to_dir(dir / "out"), Verify::no);
  ASSERT_TRUE(done) << done.error().message();
  EXPECT_FALSE(done->verified);
  EXPECT_EQ(read_file(dir / "out/app/f"), "plain");
}

TEST(RestoreBackup, UnsafeEntriesChangeNothingOutsideOrInside) {
  TempDir dir;
  std::filesystem::create_directories(dir / "out/app");
  write_file(dir / "out/app/keep", "mine");
  std::filesystem::create_directories(dir / "outside");
  const std::vector<std::vector<PlainEntry>> hostile{
    {{"backup", 'd', ""}, {"backup/..", 'd', ""}, {"backup/../x", 'f', "evil"}},
    {{"backup", 'd', ""},
     {"backup/app", 'd', ""},
     {"backup/app/l", 'l', (dir / "outside").c_str()},
     {"backup/app/l/evil", 'f', "evil"}},
    {{"backup", 'd', ""}, {"backup/app", 'd', ""}, {"backup/app/h", 'h', "backup/app"}},
    {{"backup", 'd', ""}, {"backup/app", 'd', ""}, {"backup/app/f", 'f', "1"}, {"backup/app/f", 'f', "2"}},
  };
  for (const auto& entries : hostile) {
    const auto refused = restore(plain_tar(entries), to_dir(dir / "out", Overwrite::yes), Verify::no);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind(), util::ErrorKind::corrupt);
    EXPECT_NE(refused.error().message().find("unsafe entry"), std::string::npos) << refused.error().message();
    EXPECT_NE(refused.error().message().find("nothing was changed"), std::string::npos);
    EXPECT_EQ(read_file(dir / "out/app/keep"), "mine");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "out/app"), {}), 1);
    EXPECT_TRUE(std::filesystem::is_empty(dir / "outside"));
    EXPECT_FALSE(std::filesystem::exists(dir / "x"));
  }
}

TEST(RestoreBackup, ARequestedVolumeTheBackupLacksIsAUsageError) {
  TempDir dir;
  make_tree(dir / "src");
  auto targets = to_dir(dir / "out");
  targets.required = {"app", "nosuch"};
  const auto refused = restore(backup_of(dir / "src"), targets);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(refused.error().message().find("holds no volume nosuch (it holds: app, db)"), std::string::npos)
    << refused.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir / "out/app/a.txt"));
}

TEST(RestoreBackup, LeavesNoRecordBehind) {
  TempDir dir;
  make_tree(dir / "src");
  const auto archive = backup_of(dir / "src");
  io::MemorySource source(archive, 4096);
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto summary = restore_archive(source, to_dir(dir / "out"),
                                       {.id = "abc", .state_dir = dir / "state", .spill_dir = dir.path()}, log, cancel);
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_TRUE(std::filesystem::is_empty(dir / "state/restores"));
}

}  // namespace
}  // namespace volback::app
