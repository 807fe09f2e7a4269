#include <volback/app/run/exit_code.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

TEST(ExitCodeTest, WorstOutcomeWins) {
  EXPECT_EQ(worst(ExitCode::ok, ExitCode::incomplete), ExitCode::incomplete);
  EXPECT_EQ(worst(ExitCode::incomplete, ExitCode::partial), ExitCode::partial);
  EXPECT_EQ(worst(ExitCode::partial, ExitCode::failed), ExitCode::failed);
  EXPECT_EQ(worst(ExitCode::failed, ExitCode::usage), ExitCode::usage);
  EXPECT_EQ(worst(ExitCode::failed, ExitCode::ok), ExitCode::failed);
}

TEST(ExitCodeTest, TableNamesEveryCode) {
  const auto table = exit_code_table();
  for (const auto* code : {"0  ok", "1  failed", "2  bad usage", "3  incomplete", "4  partial"}) {
    EXPECT_NE(table.find(code), std::string_view::npos) << code;
  }
}

}  // namespace
}  // namespace volback::app
