#include <volback/cli/offen_args.hpp>

#include <vector>

#include <gtest/gtest.h>

namespace volback::cli {
namespace {

util::Result<OffenInvocation> parse(std::vector<std::string_view> args) {
  return parse_offen_args(args);
}

TEST(OffenArgsTest, NoArgumentsRunsOneBackup) {
  EXPECT_EQ(parse({})->command, OffenCommand::backup);
}

TEST(OffenArgsTest, ForegroundRunsTheDaemonWithEitherDashForm) {
  EXPECT_EQ(parse({"-foreground"})->command, OffenCommand::daemon);
  EXPECT_EQ(parse({"--foreground"})->command, OffenCommand::daemon);
  EXPECT_EQ(parse({"-foreground=false"})->command, OffenCommand::backup);
}

TEST(OffenArgsTest, PrintConfig) {
  EXPECT_EQ(parse({"print-config"})->command, OffenCommand::print_config);
}

TEST(OffenArgsTest, ProfileIsIgnoredWithAWarning) {
  auto inv = parse({"-foreground", "-profile", "*/5 * * * *"});
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->command, OffenCommand::daemon);
  ASSERT_EQ(inv->warnings.size(), 1U);
  EXPECT_TRUE(parse({"-profile=@hourly"}));
  EXPECT_FALSE(parse({"-profile"}));
}

TEST(OffenArgsTest, RejectsUnknownFlagsAndCommands) {
  EXPECT_FALSE(parse({"-bogus"}));
  EXPECT_FALSE(parse({"restore"}));
  EXPECT_FALSE(parse({"print-config", "extra"}));
}

TEST(OffenArgsTest, Help) {
  EXPECT_EQ(parse({"-h"})->command, OffenCommand::help);
}

}  // namespace
}  // namespace volback::cli
