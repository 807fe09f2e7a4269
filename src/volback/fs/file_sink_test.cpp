#include <volback/fs/file_sink.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <volback/fs/disk_usage.hpp>

namespace volback::fs {
namespace {

namespace fsys = std::filesystem;

fsys::path temp_dir(const char* name) {
  const auto dir = fsys::path(::testing::TempDir()) / "volback-file-sink-test" / name;
  fsys::remove_all(dir);
  fsys::create_directories(dir);
  return dir;
}

std::string read(const fsys::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FileSinkTest, FinishedFileKeepsItsContent) {
  const auto path = temp_dir("finished") / "out";
  auto sink = FileSink::create(path.string());
  ASSERT_TRUE(sink) << sink.error().message();
  ASSERT_TRUE((*sink)->write(io::as_bytes("hello ")));
  ASSERT_TRUE((*sink)->write(io::as_bytes("world")));
  ASSERT_TRUE((*sink)->finish());
  EXPECT_EQ((*sink)->size(), 11U);
  sink->reset();
  EXPECT_EQ(read(path), "hello world");
}

TEST(FileSinkTest, UnfinishedFileIsRemoved) {
  const auto path = temp_dir("unfinished") / "out";
  {
    auto sink = FileSink::create(path.string());
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(io::as_bytes("partial")));
  }
  EXPECT_FALSE(fsys::exists(path));
}

TEST(FileSinkTest, RefusesToOverwrite) {
  const auto path = temp_dir("exists") / "out";
  std::ofstream(path) << "old";
  auto sink = FileSink::create(path.string());
  ASSERT_FALSE(sink);
  EXPECT_EQ(read(path), "old");
}

TEST(DiskUsageTest, CountsAllocatedBlocksNotApparentSize) {
  const auto dir = temp_dir("usage");
  std::ofstream(dir / "small") << std::string(10000, 'x');
  fsys::resize_file(dir / "small", 10000);
  {
    std::ofstream sparse(dir / "sparse");
  }
  fsys::resize_file(dir / "sparse", std::uintmax_t{1} << 30);  // 1 GiB of hole
  auto usage = disk_usage(dir.string());
  ASSERT_TRUE(usage) << usage.error().message();
  EXPECT_GE(*usage, 10000U);
  EXPECT_LT(*usage, 10U << 20) << "a hole must not count";
}

TEST(DiskUsageTest, MissingRootIsNotFound) {
  auto usage = disk_usage("/nonexistent-volback-dir");
  ASSERT_FALSE(usage);
  EXPECT_EQ(usage.error().kind(), util::ErrorKind::not_found);
}

}  // namespace
}  // namespace volback::fs
