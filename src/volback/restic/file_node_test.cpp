#include <volback/restic/file_node.hpp>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::restic {
namespace {

struct ReadNode {
  testing::TempDir dir;
  std::string path = dir / "file";
  struct stat st {};

  ReadNode() {
    testing::write_file(path, "content");
    EXPECT_EQ(::lstat(path.c_str(), &st), 0);
  }

  Node read(const Node* previous = nullptr) {
    FileNodeReader reader;
    auto node = reader.read(path, "file", st, previous);
    EXPECT_TRUE(node && *node);
    return node && *node ? **node : Node{};
  }
};

TEST(ResticFileNode, ReadsTheFilesMetadata) {
  ReadNode file;
  const Node node = file.read();
  EXPECT_EQ(node.name, "file");
  EXPECT_EQ(node.type, NodeType::file);
  EXPECT_EQ(node.size, 7U);
  EXPECT_EQ(node.inode, file.st.st_ino);
  EXPECT_EQ(node.ctime, go_time_of(file.st.st_ctim));
  EXPECT_TRUE(node.extended_attributes.empty());
}

// A file whose inode and change time are the parent's keeps the parent's extended
// attributes without reading them (a planted previous node shows they were not read).
TEST(ResticFileNode, TakesTheParentsAttributesWhenTheChangeTimeIsTheSame) {
  ReadNode file;
  Node previous = file.read();
  previous.extended_attributes = {{.name = "user.planted", .value = "1"}};

  const Node same = file.read(&previous);
  ASSERT_EQ(same.extended_attributes.size(), 1U);
  EXPECT_EQ(same.extended_attributes[0].name, "user.planted");

  Node changed = previous;
  changed.ctime.nanoseconds = (changed.ctime.nanoseconds + 1) % 1'000'000'000;
  EXPECT_TRUE(file.read(&changed).extended_attributes.empty()) << "another change time: read again";

  Node other_inode = previous;
  other_inode.inode += 1;
  EXPECT_TRUE(file.read(&other_inode).extended_attributes.empty()) << "another inode: read again";

  Node other_type = previous;
  other_type.type = NodeType::dir;
  EXPECT_TRUE(file.read(&other_type).extended_attributes.empty()) << "another type: read again";
}

}  // namespace
}  // namespace volback::restic
