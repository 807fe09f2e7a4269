#include <volback/app/daemon/health.hpp>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/app/daemon/daemon.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {
namespace {

using namespace std::chrono_literals;

util::TimePoint at(std::string_view text) {
  return *util::parse_rfc3339(text);
}

DaemonState daemon_at(std::string_view started, std::string expression = "0 3 * * *") {
  return DaemonState{at(started), 1, {{"environment", "from environment", std::move(expression), "UTC"}}, {}};
}

RunRecord run(std::string_view start, int exit_code, bool cancelled = false) {
  RunRecord r;
  r.schedule = "environment";
  r.start = at(start);
  r.end = r.start + 1min;
  r.exit_code = exit_code;
  r.cancelled = cancelled;
  return r;
}

HealthReport judge(const DaemonState& d, std::vector<RunRecord> runs, std::string_view now) {
  return judge_health(d, {{"environment", std::move(runs)}}, at(now), 1h);
}

TEST(Health, FreshDaemonIsHealthyUntilItsFirstFirePlusGrace) {
  const auto d = daemon_at("2026-11-26T10:00:00Z");
  EXPECT_TRUE(judge(d, {}, "2026-11-27T03:59:59Z").healthy);
  const auto late = judge(d, {}, "2026-11-27T04:00:01Z");
  EXPECT_FALSE(late.healthy);
  ASSERT_EQ(late.lines.size(), 1U);
  EXPECT_NE(late.lines[0].find("overdue"), std::string::npos);
  EXPECT_NE(late.lines[0].find("2026-11-27T03:00:00Z"), std::string::npos);
}

TEST(Health, SuccessfulRunMovesTheDueTime) {
  const auto d = daemon_at("2026-11-26T10:00:00Z");
  EXPECT_TRUE(judge(d, {run("2026-11-27T03:00:05Z", 0)}, "2026-11-28T03:30:00Z").healthy);
  EXPECT_FALSE(judge(d, {run("2026-11-27T03:00:05Z", 0)}, "2026-11-28T04:00:06Z").healthy);
}

TEST(Health, FailedLastRunIsUnhealthyIncludingIncompleteAndPartial) {
  const auto d = daemon_at("2026-11-26T10:00:00Z");
  for (const int code : {1, 2, 3, 4}) {
    const auto report = judge(d, {run("2026-11-27T03:00:00Z", code)}, "2026-11-27T03:10:00Z");
    EXPECT_FALSE(report.healthy) << code;
    EXPECT_NE(report.lines[0].find("failed with exit code " + std::to_string(code)), std::string::npos);
  }
  EXPECT_TRUE(
    judge(d, {run("2026-11-27T03:00:00Z", 1), run("2026-11-27T05:00:00Z", 0)}, "2026-11-27T06:00:00Z").healthy);
}

TEST(Health, CancelledRunsAreNoVerdict) {
  const auto d = daemon_at("2026-11-26T10:00:00Z");
  EXPECT_TRUE(
    judge(d, {run("2026-11-27T03:00:00Z", 0), run("2026-11-27T04:00:00Z", 1, true)}, "2026-11-27T05:00:00Z").healthy);
}

TEST(Health, NeverFiringScheduleIsIgnored) {
  const auto d = daemon_at("2026-11-26T10:00:00Z", "0 0 5 31 2 ?");
  const auto report = judge(d, {}, "2030-01-01T00:00:00Z");
  EXPECT_TRUE(report.healthy);
  EXPECT_NE(report.lines[0].find("never fires"), std::string::npos);
}

TEST(Health, DaemonRestartCountsFromItsStart) {
  const auto d = daemon_at("2026-11-27T10:00:00Z");
  // Last success long ago, but the daemon only started today: due tomorrow at 03:00.
  EXPECT_TRUE(judge(d, {run("2026-11-20T03:00:00Z", 0)}, "2026-11-28T03:30:00Z").healthy);
}

TEST(Health, FailedReachabilityCheckUntilARunSucceeds) {
  auto d = daemon_at("2026-11-26T10:00:00Z");
  d.checks.push_back({"local directory /archive", false, "No such file or directory"});
  EXPECT_FALSE(judge(d, {}, "2026-11-26T11:00:00Z").healthy);
  EXPECT_TRUE(judge(d, {run("2026-11-27T03:00:00Z", 0)}, "2026-11-27T04:00:00Z").healthy);
}

TEST(Health, TheStateDirectoryNeverHoldsTheUserInfoOfAUrl) {
  volback::testing::TempDir dir;
  auto state = daemon_at("2026-11-26T10:00:00Z");
  state.checks.push_back({"docker tcp://u53r:p4ss@127.0.0.1:2375", false, "GET http://u53r:p4ss@127.0.0.1:2375/_ping"});
  ASSERT_TRUE(write_daemon_state(dir.path(), state).has_value());
  auto failed = run("2026-11-26T10:30:00Z", 1);
  failed.error = "GET https://u53r:p4ss@host/b failed";
  failed.backends = {{"S3", false, "PUT https://u53r:p4ss@host/b/x refused"}};
  ASSERT_TRUE(write_run_record(dir.path(), failed).has_value());

  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) {
      const std::string text = volback::testing::read_file(entry.path().string());
      EXPECT_EQ(text.find("u53r"), std::string::npos) << entry.path() << ":\n" << text;
      EXPECT_EQ(text.find("p4ss"), std::string::npos) << entry.path() << ":\n" << text;
    }
  }
  const auto records = read_run_records(dir.path(), "environment");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].error, "GET https://***@host/b failed");
  EXPECT_EQ(read_daemon_state(dir.path())->checks.at(0).name, "docker tcp://***@127.0.0.1:2375");
}

HealthReport judge_with_drills(const DaemonState& d, std::vector<RunRecord> drills, std::string_view now) {
  auto backup = run("2026-11-27T03:00:00Z", 0);  // a recent backup: only the drills decide
  backup.start = at(now) - 2h;
  backup.end = backup.start + 1min;
  return judge_health(d, {{"environment", {backup}}, {"drill-environment", std::move(drills)}}, at(now), 1h);
}

TEST(Health, AFailedLastDrillIsUnhealthy) {
  const auto d = daemon_at("2026-11-26T10:00:00Z");
  EXPECT_TRUE(judge_with_drills(d, {run("2026-11-27T05:00:00Z", 0)}, "2026-11-27T06:00:00Z").healthy);
  auto failed = run("2026-11-27T05:00:00Z", 1);
  failed.error = "restore drill of backup-x on S3 failed: the check of container db failed";
  const auto report = judge_with_drills(d, {run("2026-11-27T04:00:00Z", 0), failed}, "2026-11-27T06:00:00Z");
  EXPECT_FALSE(report.healthy);
  ASSERT_FALSE(report.lines.empty());
  EXPECT_NE(
    report.lines[0].find("the last drill, started 2026-11-27T05:00:00Z, failed with exit code 1: restore drill"),
    std::string::npos)
    << report.lines[0];
}

TEST(Health, NoDrillWithinTheMaxAgeIsUnhealthy) {
  auto d = daemon_at("2026-11-26T10:00:00Z");
  d.schedules[0].drill_max_age = 48h;
  EXPECT_TRUE(judge_with_drills(d, {}, "2026-11-27T06:00:00Z").healthy);  // counted from the daemon's start
  const auto none = judge_with_drills(d, {}, "2026-11-28T10:00:01Z");
  EXPECT_FALSE(none.healthy);
  EXPECT_NE(none.lines[0].find("no drill passed within VOLBACK_DRILL_MAX_AGE (48h0m0s)"), std::string::npos)
    << none.lines[0];
  EXPECT_TRUE(judge_with_drills(d, {run("2026-11-28T09:00:00Z", 0)}, "2026-11-29T10:00:01Z").healthy);
  EXPECT_FALSE(judge_with_drills(d, {run("2026-11-28T09:00:00Z", 0)}, "2026-11-30T09:02:00Z").healthy);
}

TEST(Health, TheDrillScheduleAndMaxAgeSurviveTheStateFile) {
  const testing::TempDir dir;
  auto d = daemon_at("2026-11-26T10:00:00Z");
  d.schedules[0].drill_expression = "0 5 * * 0";
  d.schedules[0].drill_max_age = 192h;
  ASSERT_TRUE(write_daemon_state(dir.path(), d));
  const auto back = read_daemon_state(dir.path());
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->schedules[0].drill_expression, "0 5 * * 0");
  EXPECT_EQ(back->schedules[0].drill_max_age, std::chrono::nanoseconds(192h));
}

TEST(ZoneMounts, FindsBindMountedZoneFiles) {
  const std::string mountinfo =
    "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
    "300 22 8:1 /usr/share/zoneinfo/Europe/Berlin /etc/localtime ro,relatime - ext4 /dev/sda1 rw\n"
    "301 22 0:5 / /dev rw - tmpfs tmpfs rw\n";
  EXPECT_EQ(bind_mounted_zone_files(mountinfo), std::vector<std::string>{"/etc/localtime"});
  EXPECT_TRUE(bind_mounted_zone_files("").empty());
}

}  // namespace
}  // namespace volback::app
