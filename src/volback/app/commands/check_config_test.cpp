#include <volback/app/commands/check_config.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

util::MapSource env(std::map<std::string, std::string, std::less<>> values) {
  return util::MapSource(std::move(values), "environment");
}

TEST(PrintSchedules, AnInvalidScheduleSettingIsAnError) {
  volback::testing::TempDir dir;
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
         {"VOLBACK_HEALTH_GRACE", "banana"}, {"BACKUP_CRON_EXPRESSION", "@every 0s"}}) {
    const auto source = env({{"VOLBACK_CONFD_DIR", dir / "none"},
                             {"BACKUP_ARCHIVE", dir.path()},
                             {"BACKUP_SOURCES", dir.path()},
                             {name, value}});
    const util::FixedClock clock(*util::parse_rfc3339("2026-11-26T10:00:00Z"));
    const auto rendered = render_all_schedules(source, clock);
    EXPECT_EQ(rendered.exit_code, ExitCode::usage) << rendered.text;
    EXPECT_NE(rendered.text.find("error: invalid value \"" + value + "\" for " + name), std::string::npos)
      << rendered.text;
    util::CapturingLogger log;
    const util::CancelToken cancel;
    std::string output;
    const Host host = no_containers_host();
    EXPECT_EQ(run_check_config(source, {log, clock, cancel, host}, output), ExitCode::usage);
    EXPECT_NE(output.find("invalid: invalid value \"" + value + "\" for " + name), std::string::npos) << output;
  }
}

TEST(PrintSchedules, WarningsFollowTheSourceLine) {
  volback::testing::TempDir dir;
  const auto source = env({{"VOLBACK_CONFD_DIR", dir / "none"},
                           {"BACKUP_ARCHIVE", dir.path()},
                           {"BACKUP_SOURCES", dir.path()},
                           {"BACKUP_CRON_EXPRESSION", "0 0 5 31 2 ?"}});
  const util::FixedClock clock(*util::parse_rfc3339("2026-11-26T10:00:00Z"));
  const auto rendered = render_all_schedules(source, clock);
  EXPECT_EQ(rendered.exit_code, ExitCode::ok) << rendered.text;
  EXPECT_TRUE(
    rendered.text.starts_with("source=from environment\nwarning: BACKUP_CRON_EXPRESSION 0 0 5 31 2 ? "
                              "never fires"))
    << rendered.text;
}

}  // namespace
}  // namespace volback::app
