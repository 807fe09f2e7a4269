#include <volback/util/take_until.hpp>
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

TEST(TakeUntil, YieldsEveryField) {
  std::string_view text = "a,b,,c";
  EXPECT_EQ(take_until(text, ','), "a");
  EXPECT_EQ(take_until(text, ','), "b");
  EXPECT_EQ(take_until(text, ','), "");
  EXPECT_EQ(take_until(text, ','), "c");
  EXPECT_TRUE(text.empty());
  std::string_view line = "no separator";
  EXPECT_EQ(take_until(line, '\n'), "no separator");
  EXPECT_TRUE(line.empty());
}

}  // namespace
}  // namespace volback::util
