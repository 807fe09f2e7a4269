#include <volback/fs/file_sink.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/fs/disk_usage.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::fs {
namespace {

namespace fsys = std::filesystem;

using volback::testing::read_file;
using volback::testing::TempDir;

TEST(FileSinkTest, FinishedFileKeepsItsContent) {
  const TempDir dir;
  const auto path = fsys::path(dir / "out");
  auto sink = FileSink::create(path.string());
  ASSERT_TRUE(sink) << sink.error().message();
  ASSERT_TRUE((*sink)->write(io::as_bytes("hello ")));
  ASSERT_TRUE((*sink)->write(io::as_bytes("world")));
  ASSERT_TRUE((*sink)->finish());
  EXPECT_EQ((*sink)->size(), 11U);
  sink->reset();
  EXPECT_EQ(read_file(path), "hello world");
}

TEST(FileSinkTest, UnfinishedFileIsRemoved) {
  const TempDir dir;
  const auto path = fsys::path(dir / "out");
  {
    auto sink = FileSink::create(path.string());
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(io::as_bytes("partial")));
  }
  EXPECT_FALSE(fsys::exists(path));
}

TEST(FileSinkTest, RefusesToOverwrite) {
  const TempDir dir;
  const auto path = fsys::path(dir / "out");
  std::ofstream(path) << "old";
  auto sink = FileSink::create(path.string());
  ASSERT_FALSE(sink);
  EXPECT_EQ(read_file(path), "old");
}

TEST(DiskUsageTest, CountsAllocatedBlocksNotApparentSize) {
  const TempDir temp;
  const auto dir = fsys::path(temp.path());
  std::ofstream(dir / "small") << std::string(10000, 'x');
  fsys::resize_file(dir / "small", 10000);
  { std::ofstream sparse(dir / "sparse"); }
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
