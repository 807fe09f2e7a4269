#include <volback/app/monitor/metrics.hpp>

#include <gtest/gtest.h>

#include <volback/app/monitor/metrics_listener.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {
namespace {

RunReport report(ExitCode code, int start_seconds) {
  RunReport r;
  r.schedule = "environment";
  r.start = util::TimePoint{} + std::chrono::seconds(1'700'000'000 + start_seconds);
  r.end = r.start + std::chrono::milliseconds(12'500);
  r.exit_code = code;
  r.archive_bytes = 4096;
  r.entries = 12;
  r.stopped = {"app-db-1", "app-web-1"};
  r.downtime = std::chrono::milliseconds(1500);
  BackendReport local{"Local", std::nullopt, 4096, std::chrono::seconds(2), 3, 1, false};
  BackendReport s3{"S3", util::Error(util::ErrorKind::transient, "down"), 0, std::chrono::seconds(5)};
  r.backends = {local, s3};
  return r;
}

TEST(MetricsTest, RecordsTheLastRunAndCountsRuns) {
  ScheduleMetrics m;
  record_run(m, report(ExitCode::ok, 0), 0);
  record_run(m, report(ExitCode::partial, 60), 2);
  EXPECT_EQ(m.exit_code, 4);
  EXPECT_DOUBLE_EQ(m.last_start, 1'700'000'060);
  EXPECT_DOUBLE_EQ(m.last_success, 1'700'000'012.5);  // the ok run's end
  EXPECT_DOUBLE_EQ(m.duration, 12.5);
  EXPECT_EQ(m.runs.at("success"), 1U);
  EXPECT_EQ(m.runs.at("partial"), 1U);
  EXPECT_EQ(m.pruned, 1U);
  EXPECT_EQ(m.containers_stopped, 2U);
  EXPECT_EQ(m.notification_failures, 2U);
  EXPECT_TRUE(m.backends.at("Local").ok);
  EXPECT_FALSE(m.backends.at("S3").ok);
}

TEST(MetricsTest, RendersPrometheusText) {
  MetricsBySchedule all;
  record_run(all["environment"], report(ExitCode::ok, 0), 0);
  const std::string text = render_metrics(all);
  EXPECT_NE(text.find("# TYPE volback_last_success_timestamp_seconds gauge\n"
                      "volback_last_success_timestamp_seconds{schedule=\"environment\"} 1700000012.5\n"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("volback_last_backend_success{schedule=\"environment\",backend=\"S3\"} 0\n"), std::string::npos);
  EXPECT_NE(
    text.find("# TYPE volback_runs_total counter\nvolback_runs_total{schedule=\"environment\",result=\"success\"} 1\n"),
    std::string::npos);
  EXPECT_NE(text.find("volback_last_downtime_seconds{schedule=\"environment\"} 1.5\n"), std::string::npos);
}

TEST(MetricsTest, ParsesItsOwnTextBack) {
  MetricsBySchedule all;
  record_run(all["environment"], report(ExitCode::ok, 0), 1);
  record_run(all["confd.weekly \"x\""], report(ExitCode::failed, 5), 0);
  record_overdue(all["confd.weekly \"x\""], 1);
  const auto parsed = parse_metrics(render_metrics(all));
  EXPECT_EQ(render_metrics(parsed), render_metrics(all));
}

TEST(MetricsTest, StoreKeepsCountersAcrossRunsFromAFile) {
  MetricsBySchedule previous;
  record_run(previous["environment"], report(ExitCode::ok, 0), 0);
  record_run(previous["confd.other"], report(ExitCode::ok, 0), 0);
  MetricsStore store;
  store.merge_missing(parse_metrics(render_metrics(previous)));
  store.record(report(ExitCode::failed, 3600), 0);
  const auto now = parse_metrics(store.render());
  EXPECT_EQ(now.at("environment").runs.at("success"), 1U);
  EXPECT_EQ(now.at("environment").runs.at("failed"), 1U);
  EXPECT_DOUBLE_EQ(now.at("environment").last_success, 1'700'000'012.5);
  EXPECT_TRUE(now.contains("confd.other"));
}

TEST(MetricsTest, AnOverdueScheduleIsVisibleUntilItsNextRun) {
  volback::testing::TempDir dir;
  const std::string file = dir / "volback.prom";
  util::CapturingLogger log;
  MetricsStore store;
  MetricsListener listener(store, file, log);
  ScheduleOverdue overdue;
  overdue.schedule = "environment";
  listener.schedule_overdue(overdue);
  auto text = util::read_whole_file(file);
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_NE(text->find("# TYPE volback_schedule_overdue gauge\nvolback_schedule_overdue{schedule=\"environment\"} 1\n"),
            std::string::npos)
    << *text;
  EXPECT_NE(text->find("# TYPE volback_overdue_total counter\nvolback_overdue_total{schedule=\"environment\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(parse_metrics(*text).at("environment").overdue_total, 1U);

  // The next run clears the gauge; the counter stays, also for a new process reading the file.
  MetricsStore next_process;
  MetricsListener(next_process, file, log).run_finished(report(ExitCode::ok, 0));
  const auto after = parse_metrics(*util::read_whole_file(file)).at("environment");
  EXPECT_FALSE(after.overdue);
  EXPECT_EQ(after.overdue_total, 1U);
  EXPECT_EQ(after.runs.at("success"), 1U);
}

TEST(MetricsTest, ADrillSetsOnlyTheDrillSeries) {
  ScheduleMetrics m;
  RunReport backup;
  backup.start = util::TimePoint{std::chrono::seconds{1000}};
  backup.end = util::TimePoint{std::chrono::seconds{1010}};
  backup.archive_bytes = 77;
  record_run(m, backup, 0);
  RunReport drill = backup;
  drill.command = "drill";
  drill.start = util::TimePoint{std::chrono::seconds{2000}};
  drill.end = util::TimePoint{std::chrono::seconds{2042}};
  drill.archive_bytes = 5;
  record_run(m, drill, 0);
  EXPECT_EQ(m.archive_bytes, 77u);
  EXPECT_EQ(m.last_end, 1010);
  EXPECT_EQ(m.last_drill_end, 2042);
  EXPECT_EQ(m.last_drill_success, 2042);
  EXPECT_EQ(m.drill_duration, 42);
  drill.exit_code = ExitCode::failed;
  drill.end = util::TimePoint{std::chrono::seconds{3000}};
  record_run(m, drill, 0);
  EXPECT_EQ(m.last_drill_success, 2042);
  EXPECT_EQ(m.drill_exit_code, 1);
  const std::string text = render_metrics({{"environment", m}});
  EXPECT_NE(text.find("volback_last_drill_success_timestamp_seconds{schedule=\"environment\"} 2042"), std::string::npos)
    << text;
  EXPECT_NE(text.find("volback_drills_total{schedule=\"environment\",result=\"failed\"} 1"), std::string::npos) << text;
  const auto back = parse_metrics(text);
  EXPECT_EQ(back.at("environment").last_drill_success, 2042);
  EXPECT_EQ(back.at("environment").drills.at("success"), 1u);
}

TEST(MetricsTest, ResultLabels) {
  RunReport r;
  r.exit_code = ExitCode::incomplete;
  EXPECT_EQ(run_result(r), "incomplete");
  r.cancelled = true;
  EXPECT_EQ(run_result(r), "cancelled");
}

}  // namespace
}  // namespace volback::app
