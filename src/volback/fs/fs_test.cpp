#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/fs/anonymous_file.hpp>
#include <volback/fs/directory.hpp>
#include <volback/fs/file_source.hpp>
#include <volback/fs/free_space.hpp>
#include <volback/fs/random_name.hpp>
#include <volback/fs/unique_fd.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::fs {
namespace {

class FsTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return m_dir + "/" + name; }

  void write_file(const std::string& name, const std::string& content) const {
    volback::testing::write_file(path(name), content);
  }

  volback::testing::TempDir m_temp{"volback-fs"};
  std::string m_dir = m_temp.path();
};

TEST(UniqueFdTest, ClosesOnDestructionAndMoves) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    UniqueFd a(raw);
    EXPECT_TRUE(a.valid());
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): moved-from state is defined
    EXPECT_EQ(b.get(), raw);
    UniqueFd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(UniqueFdTest, ReleaseGivesUpOwnership) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    UniqueFd a(raw);
    EXPECT_EQ(a.release(), raw);
    EXPECT_FALSE(a.valid());
  }
  EXPECT_NE(::fcntl(raw, F_GETFD), -1);
  UniqueFd again(raw);
  again.reset();
  EXPECT_FALSE(again.valid());
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

TEST_F(FsTest, FileSourceReadsWholeFile) {
  std::string content(300000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 7 % 251);
  }
  write_file("data", content);
  auto source = FileSource::open(path("data"));
  ASSERT_TRUE(source) << source.error().message();
  std::string read_back;
  std::vector<std::byte> buf(65536);
  while (true) {
    auto n = (*source)->read(buf);
    ASSERT_TRUE(n) << n.error().message();
    if (*n == 0) {
      break;
    }
    read_back.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
  EXPECT_EQ(read_back, content);
}

TEST_F(FsTest, FileSourceOpenMissingIsNotFound) {
  auto source = FileSource::open(path("missing"));
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().kind(), util::ErrorKind::not_found);
  EXPECT_NE(source.error().message().find("missing"), std::string::npos);
}

TEST_F(FsTest, FileSourceReadOfDirectoryFails) {
  auto source = FileSource::open(m_dir);
  ASSERT_TRUE(source);
  std::vector<std::byte> buf(16);
  auto n = (*source)->read(buf);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().kind(), util::ErrorKind::permanent);
}

TEST_F(FsTest, FreeSpaceOfExistingDirectory) {
  auto space = free_space(m_dir);
  ASSERT_TRUE(space) << space.error().message();
  EXPECT_GT(*space, 0U);
}

TEST_F(FsTest, FreeSpaceOfMissingDirectoryIsNotFound) {
  auto space = free_space(path("nope"));
  ASSERT_FALSE(space);
  EXPECT_EQ(space.error().kind(), util::ErrorKind::not_found);
}

TEST_F(FsTest, ListDirectorySortsBytewiseWithoutDots) {
  write_file("b", "");
  write_file("a", "");
  write_file("B", "");
  write_file("\xc3\xa9", "");  // é: sorts after ASCII when compared as unsigned bytes
  ASSERT_EQ(::mkdir(path("dir").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("a", path(".link").c_str()), 0);
  auto names = list_directory(m_dir);
  ASSERT_TRUE(names) << names.error().message();
  EXPECT_EQ(*names, (std::vector<std::string>{".link", "B", "a", "b", "dir", "\xc3\xa9"}));
}

TEST_F(FsTest, ListDirectoryOfEmptyAndMissing) {
  auto empty = list_directory(m_dir);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto missing = list_directory(path("missing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::not_found);
  write_file("file", "x");
  auto not_dir = list_directory(path("file"));
  ASSERT_FALSE(not_dir);
  EXPECT_EQ(not_dir.error().kind(), util::ErrorKind::not_found);
}

TEST_F(FsTest, FsyncDirectory) {
  EXPECT_TRUE(fsync_directory(m_dir));
  auto missing = fsync_directory(path("missing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::not_found);
}

TEST_F(FsTest, AnonymousFileHasNoNameAndHoldsWhatIsWritten) {
  auto fd = anonymous_file(m_dir, "a test file");
  ASSERT_TRUE(fd) << fd.error().message();
  ASSERT_EQ(::write(fd->get(), "spilled", 7), 7);
  char back[8] = {};
  ASSERT_EQ(::pread(fd->get(), back, 7, 0), 7);
  EXPECT_STREQ(back, "spilled");
  EXPECT_TRUE(std::filesystem::is_empty(m_dir)) << "the file has no name in its directory";
  EXPECT_NE(::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(FsTest, AnonymousFileInAMissingDirectoryNamesIt) {
  const auto fd = anonymous_file(path("missing"), "a test file");
  ASSERT_FALSE(fd);
  EXPECT_NE(fd.error().message().find("a test file"), std::string::npos) << fd.error().message();
  EXPECT_NE(fd.error().message().find(path("missing")), std::string::npos) << fd.error().message();
}

TEST(RandomNameTest, LengthAndAlphabet) {
  EXPECT_EQ(random_suffix().size(), 12U);
  EXPECT_EQ(random_suffix(0), "");
  const std::string s = random_suffix(1000);
  ASSERT_EQ(s.size(), 1000U);
  EXPECT_TRUE(std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }));
  // 1000 draws from 36 symbols hit nearly all of them.
  EXPECT_GT(std::set<char>(s.begin(), s.end()).size(), 30U);
}

TEST(RandomNameTest, NamesDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    seen.insert(random_suffix());
  }
  EXPECT_EQ(seen.size(), 100U);
}

}  // namespace
}  // namespace volback::fs
