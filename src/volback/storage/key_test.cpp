#include <volback/storage/backend.hpp>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace volback::storage
