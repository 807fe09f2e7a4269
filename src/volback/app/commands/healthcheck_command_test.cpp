#include <volback/app/commands/healthcheck_command.hpp>

#include <gtest/gtest.h>

#include <volback/app/run/run_history.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {
namespace {

using namespace std::chrono_literals;

util::TimePoint at(std::string_view text) {
  return *util::parse_rfc3339(text);
}

DaemonState daemon_at(std::string_view started) {
  return DaemonState{at(started), 1, {{"environment", "from environment", "0 3 * * *", "UTC"}}, {}};
}

RunRecord run(std::string_view start, int exit_code) {
  RunRecord r;
  r.schedule = "environment";
  r.start = at(start);
  r.end = r.start + 1min;
  r.exit_code = exit_code;
  return r;
}

TEST(HealthcheckCommand, StateDirectoryRoundTrip) {
  volback::testing::TempDir dir;
  util::FixedClock clock(at("2026-11-26T11:00:00Z"));
  std::string output;
  EXPECT_EQ(run_healthcheck(dir.path(), 1h, clock, output), ExitCode::failed);
  EXPECT_NE(output.find("no daemon"), std::string::npos);

  ASSERT_TRUE(write_daemon_state(dir.path(), daemon_at("2026-11-26T10:00:00Z")).has_value());
  output.clear();
  EXPECT_EQ(run_healthcheck(dir.path(), 1h, clock, output), ExitCode::ok) << output;

  auto failed = run("2026-11-26T10:30:00Z", 4);
  failed.archive = "backup.tar.gz";
  failed.backends = {{"Local", true, ""}, {"S3", false, "refused"}};
  ASSERT_TRUE(write_run_record(dir.path(), failed).has_value());
  const auto records = read_run_records(dir.path(), "environment");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].start, failed.start);
  EXPECT_EQ(records[0].exit_code, 4);
  EXPECT_EQ(records[0].archive, "backup.tar.gz");
  ASSERT_EQ(records[0].backends.size(), 2U);
  EXPECT_FALSE(records[0].backends[1].ok);
  EXPECT_EQ(records[0].backends[1].error, "refused");
  output.clear();
  EXPECT_EQ(run_healthcheck(dir.path(), 1h, clock, output), ExitCode::failed);
  EXPECT_NE(output.find("exit code 4"), std::string::npos);
}

}  // namespace
}  // namespace volback::app
