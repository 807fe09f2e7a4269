#include <volback/fs/snapshot_copy.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <volback/fs/directory_at.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::fs {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;
namespace stdfs = std::filesystem;

constexpr std::uint64_t k_mib = std::uint64_t{1} << 20;

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path << ": " << std::strerror(errno);
  return st;
}

void set_mtime(const std::string& path, std::int64_t seconds, long nanoseconds) {
  const struct timespec times[2] = {{seconds - 100, 0}, {seconds, nanoseconds}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
}

bool is_root() {
  return ::geteuid() == 0;
}

// A source tree in src/ and the directory the copy goes into, into/.
class SnapshotCopyTest : public ::testing::Test {
 protected:
  SnapshotCopyTest() {
    stdfs::create_directories(m_dir / "src");
    stdfs::create_directories(m_dir / "into");
  }

  util::Result<SnapshotReport> copy(const SnapshotOptions& options = {}) {
    auto into = open_directory(m_dir / "into");
    EXPECT_TRUE(into);
    return copy_tree(src(), into->get(), "copy", m_log, m_cancel, options);
  }

  std::string src() const { return m_dir / "src"; }
  std::string src(const std::string& rel) const { return m_dir / ("src/" + rel); }
  std::string dst(const std::string& rel) const { return m_dir / ("into/copy/" + rel); }
  bool copy_exists() const { return stdfs::exists(stdfs::symlink_status(m_dir / "into/copy")); }

  TempDir m_dir{"volback-snapshot"};
  util::CapturingLogger m_log;
  util::CancelToken m_cancel;
};

TEST_F(SnapshotCopyTest, CopiesFilesAndEmptyDirectories) {
  stdfs::create_directories(src("app/empty"));
  stdfs::create_directories(src("app/nested/deeper"));
  write_file(src("app/file.txt"), "hello");
  write_file(src("app/nested/deeper/data"), std::string(3 * k_mib + 17, 'x'));
  write_file(src("top"), "");

  auto report = copy();
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(read_file(dst("app/file.txt")), "hello");
  EXPECT_EQ(read_file(dst("app/nested/deeper/data")), std::string(3 * k_mib + 17, 'x'));
  EXPECT_TRUE(stdfs::is_directory(dst("app/empty")));
  EXPECT_TRUE(stdfs::is_empty(dst("app/empty")));
  EXPECT_EQ(stdfs::file_size(dst("top")), 0U);
  EXPECT_EQ(report->entries, 8U);  // the root, 4 directories, 3 files
  EXPECT_EQ(report->bytes, 5 + 3 * k_mib + 17);
  EXPECT_EQ(report->reflinked_files + report->copied_files, 3U);
  EXPECT_GT(report->required_bytes, 3 * k_mib);
  EXPECT_TRUE(report->unreadable.empty());
  EXPECT_TRUE(report->vanished.empty());
}

TEST_F(SnapshotCopyTest, CopiesTheSameWithoutReflinks) {
  write_file(src("a"), std::string(2 * k_mib, 'a'));
  auto report = copy({.allow_reflink = false});
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(read_file(dst("a")), std::string(2 * k_mib, 'a'));
  EXPECT_EQ(report->copied_files, 1U);
  EXPECT_EQ(report->reflinked_files, 0U);
}

TEST_F(SnapshotCopyTest, KeepsTheHolesOfASparseFile) {
  const std::uint64_t size = 256 * k_mib;
  {
    const int fd = ::open(src("sparse").c_str(), O_WRONLY | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(size)), 0);
    ASSERT_EQ(::pwrite(fd, "data", 4, static_cast<off_t>(100 * k_mib)), 4);
    ::close(fd);
  }
  const struct stat source = lstat_of(src("sparse"));
  if (static_cast<std::uint64_t>(source.st_blocks) * 512 >= size) {
    GTEST_SKIP() << "the test's file system does not keep holes";
  }
  auto report = copy({.allow_reflink = false});
  ASSERT_TRUE(report) << report.error().message();
  const struct stat copied = lstat_of(dst("sparse"));
  EXPECT_EQ(static_cast<std::uint64_t>(copied.st_size), size);
  EXPECT_LT(static_cast<std::uint64_t>(copied.st_blocks) * 512, 4 * k_mib) << "the holes were filled";
  EXPECT_EQ(report->bytes, size);
  const int fd = ::open(dst("sparse").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  char buffer[6] = {};
  EXPECT_EQ(::pread(fd, buffer, 6, static_cast<off_t>(100 * k_mib - 1)), 6);
  ::close(fd);
  EXPECT_EQ(std::string(buffer, 6), std::string("\0data\0", 6));
}

TEST_F(SnapshotCopyTest, HardLinksStayHardLinks) {
  stdfs::create_directories(src("a"));
  stdfs::create_directories(src("b"));
  write_file(src("a/first"), "linked");
  ASSERT_EQ(::link(src("a/first").c_str(), src("b/second").c_str()), 0);
  ASSERT_EQ(::link(src("a/first").c_str(), src("third").c_str()), 0);
  write_file(src("single"), "alone");

  auto report = copy();
  ASSERT_TRUE(report) << report.error().message();
  const struct stat first = lstat_of(dst("a/first"));
  const struct stat second = lstat_of(dst("b/second"));
  const struct stat third = lstat_of(dst("third"));
  EXPECT_EQ(first.st_ino, second.st_ino);
  EXPECT_EQ(first.st_ino, third.st_ino);
  EXPECT_NE(first.st_ino, lstat_of(src("a/first")).st_ino);
  EXPECT_EQ(first.st_nlink, 3U);
  EXPECT_EQ(read_file(dst("b/second")), "linked");
  EXPECT_EQ(report->bytes, 6U + 5U);  // the linked content once
  EXPECT_EQ(report->copied_files + report->reflinked_files, 2U);
}

TEST_F(SnapshotCopyTest, CopiesSymlinksWithoutFollowingThem) {
  stdfs::create_directories(m_dir / "outside");
  write_file(m_dir / "outside/secret", "outside");
  stdfs::create_directories(src("dir"));
  write_file(src("dir/file"), "in");
  stdfs::create_directory_symlink(m_dir / "outside", src("to-outside"));
  stdfs::create_symlink("../../outside/secret", src("dir/relative"));
  stdfs::create_directory_symlink("dir", src("to-dir"));
  stdfs::create_symlink("missing", src("dangling"));

  auto report = copy();
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_TRUE(stdfs::is_symlink(dst("to-outside")));
  EXPECT_EQ(stdfs::read_symlink(dst("to-outside")), m_dir / "outside");
  EXPECT_EQ(stdfs::read_symlink(dst("dir/relative")), "../../outside/secret");
  EXPECT_TRUE(stdfs::is_symlink(dst("to-dir")));
  EXPECT_EQ(stdfs::read_symlink(dst("dangling")), "missing");
  EXPECT_EQ(report->bytes, 2U);  // only dir/file's content
  // Nothing was written through a link, and nothing from outside was copied.
  EXPECT_EQ(read_file(m_dir / "outside/secret"), "outside");
  EXPECT_EQ(std::distance(stdfs::directory_iterator(m_dir / "outside"), stdfs::directory_iterator()), 1);
}

TEST_F(SnapshotCopyTest, RecreatesFifosAndDevicesAndSkipsSockets) {
  ASSERT_EQ(::mkfifo(src("fifo").c_str(), 0640), 0);
  const std::string socket_path = src("sock");
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof(address.sun_path));
  std::strcpy(address.sun_path, socket_path.c_str());
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const bool devices = is_root() && ::mknod(src("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;

  auto report = copy();  // would hang on opening the FIFO
  ::close(sock);
  ASSERT_TRUE(report) << report.error().message();
  const struct stat fifo = lstat_of(dst("fifo"));
  EXPECT_TRUE(S_ISFIFO(fifo.st_mode));
  EXPECT_EQ(fifo.st_mode & 07777, 0640U);
  EXPECT_FALSE(stdfs::exists(stdfs::symlink_status(dst("sock"))));
  if (devices) {
    const struct stat null = lstat_of(dst("null"));
    EXPECT_TRUE(S_ISCHR(null.st_mode));
    EXPECT_EQ(null.st_rdev, makedev(1, 3));
    EXPECT_EQ(null.st_mode, lstat_of(src("null")).st_mode);
  }
  EXPECT_TRUE(report->unreadable.empty());
}

TEST_F(SnapshotCopyTest, PreservesModesOwnersAndTimes) {
  stdfs::create_directories(src("dir/sub"));
  write_file(src("dir/sub/file"), "x");
  write_file(src("setuid"), "y");
  ASSERT_EQ(::chmod(src("setuid").c_str(), 04750), 0);
  ASSERT_EQ(::chmod(src("dir/sub/file").c_str(), 0604), 0);
  ASSERT_EQ(::chmod(src("dir").c_str(), 0751), 0);
  ASSERT_EQ(::chmod(src("dir/sub").c_str(), 0500), 0);  // read-only: filled before its mode is set
  stdfs::create_symlink("setuid", src("link"));
  if (is_root()) {
    ASSERT_EQ(::lchown(src("setuid").c_str(), 1234, 5678), 0);
    ASSERT_EQ(::chmod(src("setuid").c_str(), 04750), 0);  // chown cleared the set-id bit
    ASSERT_EQ(::lchown(src("dir").c_str(), 4321, 8765), 0);
    ASSERT_EQ(::lchown(src("link").c_str(), 1111, 2222), 0);
  }
  set_mtime(src("dir/sub/file"), 1'000'000'000, 123'456'789);
  set_mtime(src("setuid"), 1'100'000'000, 1);
  set_mtime(src("link"), 1'200'000'000, 5);
  set_mtime(src("dir/sub"), 1'300'000'000, 7);
  set_mtime(src("dir"), 1'400'000'000, 9);

  auto report = copy({.allow_reflink = false});
  ASSERT_TRUE(report) << report.error().message();
  for (const std::string rel : {"dir", "dir/sub", "dir/sub/file", "setuid", "link"}) {
    const struct stat from = lstat_of(src(rel));
    const struct stat to = lstat_of(dst(rel));
    EXPECT_EQ(from.st_mode, to.st_mode) << rel;
    EXPECT_EQ(from.st_mtim.tv_sec, to.st_mtim.tv_sec) << rel;
    EXPECT_EQ(from.st_mtim.tv_nsec, to.st_mtim.tv_nsec) << rel;
    if (is_root()) {
      EXPECT_EQ(from.st_uid, to.st_uid) << rel;
      EXPECT_EQ(from.st_gid, to.st_gid) << rel;
    }
  }
  // Read with O_NOATIME, a file keeps the access time the copy got.
  EXPECT_EQ(lstat_of(src("setuid")).st_atim.tv_sec, lstat_of(dst("setuid")).st_atim.tv_sec);
  EXPECT_EQ(lstat_of(dst("")).st_mode, lstat_of(src()).st_mode);
  ::chmod(src("dir/sub").c_str(), 0700);
  ::chmod(dst("dir/sub").c_str(), 0700);
}

TEST_F(SnapshotCopyTest, RefusesBeforeCopyingWhenTheSpaceDoesNotFit) {
  write_file(src("big"), std::string(k_mib, 'b'));
  const SnapshotTestHooks hooks{.free_space = [] { return std::uint64_t{4096}; }};
  auto report = copy({.test_hooks = &hooks});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind(), util::ErrorKind::permanent);
  EXPECT_NE(report.error().message().find("only 4096 bytes are free"), std::string::npos) << report.error().message();
  EXPECT_FALSE(copy_exists());
}

TEST_F(SnapshotCopyTest, RemovesThePartialCopyOnFailure) {
  stdfs::create_directories(src("a/readonly"));
  write_file(src("a/readonly/file"), "x");
  ASSERT_EQ(::chmod(src("a/readonly").c_str(), 0500), 0);
  write_file(src("b"), "y");
  const SnapshotTestHooks hooks{
    .create_error = [this](const std::string& path) { return path == src("b") ? ENOSPC : 0; }};
  auto report = copy({.test_hooks = &hooks});
  ::chmod(src("a/readonly").c_str(), 0700);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind(), util::ErrorKind::permanent);
  EXPECT_NE(report.error().message().find("No space left on device"), std::string::npos) << report.error().message();
  EXPECT_FALSE(copy_exists());
  EXPECT_TRUE(stdfs::is_empty(m_dir / "into"));
}

TEST_F(SnapshotCopyTest, StopsAndCleansUpWhenCancelled) {
  write_file(src("a"), "a");
  write_file(src("b"), "b");
  const SnapshotTestHooks hooks{.before_copy = [this](const std::string&) { m_cancel.request(); }};
  auto report = copy({.test_hooks = &hooks});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind(), util::ErrorKind::cancelled);
  EXPECT_FALSE(copy_exists());
}

TEST_F(SnapshotCopyTest, LeavesOutSkippedPathsAndItsOwnDirectory) {
  stdfs::create_directories(src("keep"));
  stdfs::create_directories(src("cache/deep"));
  write_file(src("cache/deep/file"), "c");
  write_file(src("keep/file"), "k");
  // The copy lies inside the source, as with VOLBACK_SPOOL_DIR below BACKUP_SOURCES.
  stdfs::create_directories(src("spool"));
  auto into = open_directory(src("spool"));
  ASSERT_TRUE(into);
  const std::string cache = src("cache");
  SnapshotOptions options;
  options.skip = [&cache](const std::string& path) { return path == cache; };
  auto report = copy_tree(src(), into->get(), "copy", m_log, m_cancel, options);
  ASSERT_TRUE(report) << report.error().message();
  const std::string copy = src("spool/copy/");
  EXPECT_EQ(read_file(copy + "keep/file"), "k");
  EXPECT_FALSE(stdfs::exists(copy + "cache"));
  EXPECT_FALSE(stdfs::exists(copy + "spool"));
}

TEST_F(SnapshotCopyTest, ReportsFilesThatShrinkVanishOrGrow) {
  write_file(src("grows"), "1234");
  write_file(src("shrinks"), "123456");
  write_file(src("vanishes"), "gone");
  const SnapshotTestHooks hooks{.before_copy = [this](const std::string& path) {
    if (path == src("grows")) {
      write_file(path, "123456789");
    } else if (path == src("shrinks")) {
      ::truncate(path.c_str(), 2);
    }
  }};
  SnapshotOptions options{.allow_reflink = false, .test_hooks = &hooks};
  options.skip = [this](const std::string& path) {
    if (path == src("vanishes")) {
      ::unlink(path.c_str());  // gone after the listing, before the copy
    }
    return false;
  };
  auto report = copy(options);
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(read_file(dst("grows")), "1234");
  EXPECT_EQ(read_file(dst("shrinks")), std::string("12\0\0\0\0", 6));
  ASSERT_EQ(report->unreadable.size(), 1U);
  EXPECT_EQ(report->unreadable[0].path, src("shrinks"));
  EXPECT_EQ(report->unreadable[0].reason, "file shrank while being copied");
  EXPECT_EQ(report->vanished, std::vector<std::string>{src("vanishes")});
  EXPECT_TRUE(m_log.contains("File grew while being copied"));
}

TEST_F(SnapshotCopyTest, RefusesASourceThatIsNotADirectory) {
  write_file(m_dir / "file", "x");
  auto into = open_directory(m_dir / "into");
  ASSERT_TRUE(into);
  auto report = copy_tree(m_dir / "file", into->get(), "copy", m_log, m_cancel);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_FALSE(copy_exists());
}

}  // namespace
}  // namespace volback::fs
