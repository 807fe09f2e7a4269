#include <volback/util/trim.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(Trim, RemovesBlanksAtBothEndsOnly) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("\v\fx\f"), "x");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Trim, AllBlanksIsEmpty) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n"), "");
}

static_assert(trim(" 42\n") == "42");

}  // namespace
}  // namespace volback::util
