#include <volback/app/commands/check_command.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

TEST(CheckCommandTest, ASubsetIsAPercentage) {
  EXPECT_DOUBLE_EQ(parse_subset("10%").value(), 0.1);
  EXPECT_DOUBLE_EQ(parse_subset("100%").value(), 1.0);
  EXPECT_DOUBLE_EQ(parse_subset("2.5%").value(), 0.025);
  for (const std::string_view bad : {"", "%", "10", "0%", "101%", "-5%", "1/5", "ten%", "10 %"}) {
    SCOPED_TRACE(bad);
    const auto parsed = parse_subset(bad);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
  }
}

}  // namespace
}  // namespace volback::app
