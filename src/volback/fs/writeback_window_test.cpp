#include <volback/fs/writeback_window.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

#include <volback/fs/file_sink.hpp>
#include <volback/fs/unique_fd.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::fs {
namespace {

TEST(WritebackWindowTest, CountsWhatWasWrittenAcrossWindows) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/f";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  ASSERT_TRUE(fd.valid());
  WritebackWindow window(4096);
  const std::vector<std::byte> block(10000, std::byte{7});
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(write_all(fd.get(), block, path));
    window.advance(fd.get(), block.size());
  }
  EXPECT_EQ(window.written(), 50000u);
  EXPECT_EQ(std::filesystem::file_size(path), 50000u);
}

TEST(WritebackWindowTest, IgnoresFilesWithoutWriteback) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  UniqueFd read_end(ends[0]);
  UniqueFd write_end(ends[1]);
  WritebackWindow window(16);
  window.advance(write_end.get(), 100);  // sync_file_range fails on a pipe: nothing happens
  EXPECT_EQ(window.written(), 100u);
}

TEST(WritebackWindowTest, FileSinkKeepsEveryByteOfALargeFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/large";
  auto sink = FileSink::create(path);
  ASSERT_TRUE(sink);
  std::vector<std::byte> block(1 << 20);
  for (std::size_t i = 0; i < block.size(); ++i) {
    block[i] = static_cast<std::byte>(i * 31 + 7);
  }
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE((*sink)->write(block));
  }
  ASSERT_TRUE((*sink)->finish());
  EXPECT_EQ((*sink)->size(), 9u << 20);
  std::ifstream in(path, std::ios::binary);
  std::vector<char> back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(back.size(), 9u << 20);
  EXPECT_EQ(static_cast<std::byte>(back[(5u << 20) + 12345]), block[12345]);
}

}  // namespace
}  // namespace volback::fs
