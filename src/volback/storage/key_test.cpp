#include <volback/storage/backend.hpp>

#include <gtest/gtest.h>

#include <volback/storage/partial_name.hpp>

namespace volback::storage {
namespace {

TEST(StorageKey, NestedKeysAreValid) {
  EXPECT_TRUE(check_key("backup-2026-11-01T00-00-00.tar.gz"));
  EXPECT_TRUE(check_key("data/ab/abcdef"));
  EXPECT_TRUE(check_key("with space/äöü"));
}

TEST(StorageKey, RejectsWhatCouldEscapeOrCollide) {
  for (const std::string_view bad : {"", "/abs", "a//b", "a/", "../x", "a/../b", "./a", ".volback-partial-x", "a/.b"}) {
    EXPECT_FALSE(check_key(bad)) << bad;
  }
  EXPECT_FALSE(check_key(std::string(1025, 'k')));
  EXPECT_FALSE(check_key(std::string("a\0b", 3)));
}

TEST(StorageKey, ParentAndName) {
  EXPECT_EQ(key_parent("a/b/c.tar"), "a/b");
  EXPECT_EQ(key_parent("c.tar"), "");
  EXPECT_EQ(key_name("a/b/c.tar"), "c.tar");
  EXPECT_EQ(key_name("c.tar"), "c.tar");
}

TEST(StorageKey, PartialKeyBesideTheKey) {
  EXPECT_EQ(partial_key_beside("db/x.tar", "r4nd"), "db/.volback-partial-r4nd");
  EXPECT_EQ(partial_key_beside("x.tar", "r4nd"), ".volback-partial-r4nd");
}

}  // namespace
}  // namespace volback::storage
