#include <volback/fs/directory_at.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::fs {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;
namespace stdfs = std::filesystem;

TEST(DirectoryAt, RemoveTreeNeverFollowsASymlink) {
  TempDir dir;
  stdfs::create_directories(dir / "outside");
  write_file(dir / "outside/keep", "keep");
  stdfs::create_directories(dir / "target/tree/sub");
  write_file(dir / "target/tree/sub/f", "x");
  stdfs::create_directory_symlink(dir / "outside", dir / "target/tree/link");
  stdfs::create_directory_symlink(dir / "outside", dir / "target/top-link");
  auto target = open_directory(dir / "target");
  ASSERT_TRUE(target);
  ASSERT_TRUE(remove_tree_at(target->get(), "tree"));
  ASSERT_TRUE(remove_tree_at(target->get(), "top-link"));
  EXPECT_TRUE(remove_tree_at(target->get(), "missing"));
  EXPECT_TRUE(stdfs::is_empty(dir / "target"));
  EXPECT_EQ(read_file(dir / "outside/keep"), "keep");
}

TEST(DirectoryAt, OpenRefusesASymlink) {
  TempDir dir;
  stdfs::create_directories(dir / "real");
  stdfs::create_directory_symlink(dir / "real", dir / "link");
  EXPECT_TRUE(open_directory(dir / "real"));
  EXPECT_FALSE(open_directory(dir / "link"));
  auto parent = open_directory(dir.path());
  ASSERT_TRUE(parent);
  EXPECT_FALSE(open_directory_at(parent->get(), "link"));
}

TEST(DirectoryAt, MoveEntriesKeepsTheNamedOnes) {
  TempDir dir;
  stdfs::create_directories(dir / "from/keep");
  stdfs::create_directories(dir / "to");
  write_file(dir / "from/a", "a");
  ::symlink("/etc", (dir / "from/l").c_str());
  auto from = open_directory(dir / "from");
  auto to = open_directory(dir / "to");
  ASSERT_TRUE(from && to);
  ASSERT_TRUE(move_entries_at(from->get(), to->get(), {"keep"}));
  EXPECT_EQ(*list_directory_at(from->get()), std::vector<std::string>{"keep"});
  EXPECT_EQ(*list_directory_at(to->get()), (std::vector<std::string>{"a", "l"}));
  EXPECT_TRUE(stdfs::is_symlink(dir / "to/l"));
}

}  // namespace
}  // namespace volback::fs
