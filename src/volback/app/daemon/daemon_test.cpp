#include <volback/app/daemon/daemon.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <volback/app/daemon/health.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using namespace std::chrono_literals;

// The environment's schedule on `cron`, valid, over a temporary directory.
struct OneSchedule {
  explicit OneSchedule(const std::string& cron, const std::string& drill_cron = "") {
    std::filesystem::create_directories(dir / "src");
    std::filesystem::create_directories(dir / "archive");
    environment = std::make_unique<util::MapSource>(
      std::map<std::string, std::string, std::less<>>{{"BACKUP_SOURCES", dir / "src"},
                                                      {"BACKUP_ARCHIVE", dir / "archive"},
                                                      {"VOLBACK_LOCK_FILE", dir / "lock"},
                                                      {"VOLBACK_STATE_DIR", dir / "state"},
                                                      {"TZ", "UTC"},
                                                      {"BACKUP_CRON_EXPRESSION", cron},
                                                      {"VOLBACK_DRILL_CRON", drill_cron},
                                                      {"VOLBACK_DRILL_MAX_AGE", "192h"}},
      "environment");
    schedules.readable.emplace_back(*environment, nullptr);
  }
  volback::testing::TempDir dir;
  std::unique_ptr<util::MapSource> environment;
  Schedules schedules;
};

TEST(Daemon, RunsRestoreDrillsOnTheirOwnSchedule) {
  const OneSchedule one("@yearly", "@every 1s");
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  std::atomic<int> backups{0};
  std::atomic<int> drills{0};
  DaemonDeps deps{log,
                  clock,
                  cancel,
                  [&](const ScheduleConfig&) {
                    ++backups;
                    return RunReport{};
                  },
                  [](const BackupConfig&) { return std::vector<CheckResult>{}; },
                  {},
                  [&](const ScheduleConfig&) {
                    ++drills;
                    return RunReport{.command = "drill"};
                  }};
  std::thread daemon([&] { run_daemon(one.schedules, one.dir / "state", deps); });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (drills < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  cancel.request();
  daemon.join();
  EXPECT_GE(drills.load(), 2);
  EXPECT_EQ(backups.load(), 0);
  EXPECT_TRUE(log.contains("Successfully scheduled restore drill from environment with expression @every 1s"))
    << log.text();
  auto state = read_daemon_state(one.dir / "state");
  ASSERT_TRUE(state.has_value()) << state.error().message();
  ASSERT_EQ(state->schedules.size(), 1U);
  EXPECT_EQ(state->schedules[0].expression, "@yearly");
  EXPECT_EQ(state->schedules[0].drill_expression, "@every 1s");
  EXPECT_EQ(state->schedules[0].drill_max_age, std::chrono::nanoseconds(192h));
}

TEST(Daemon, SkipsFiresWhileARunIsInProgressAndStopsCleanly) {
  const OneSchedule one("@every 1s");
  const auto& dir = one.dir;
  const auto& schedules = one.schedules;

  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  std::atomic<int> started{0};
  // Every run holds until the daemon is told to stop.
  DaemonDeps deps{log, clock, cancel,
                  [&](const ScheduleConfig&) {
                    ++started;
                    while (!cancel.requested()) {
                      std::this_thread::sleep_for(10ms);
                    }
                    return RunReport{.exit_code = ExitCode::failed, .cancelled = true};
                  },
                  [](const BackupConfig&) {
                    return std::vector<CheckResult>{{"test check", true, "fine"}};
                  }};
  ExitCode code = ExitCode::failed;
  std::thread daemon([&] { code = run_daemon(schedules, dir / "state", deps); });
  // The first run holds; the next fire (1 s later) must be skipped, not queued.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!log.contains("Skipping a fire time") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  cancel.request();
  daemon.join();

  EXPECT_EQ(code, ExitCode::ok);
  EXPECT_EQ(started.load(), 1);
  EXPECT_TRUE(log.contains("Skipping a fire time")) << log.text();
  EXPECT_TRUE(log.contains("Successfully scheduled backup from environment with expression @every 1s"));
  EXPECT_TRUE(log.contains("msg=\"Now running script on schedule @every 1s\" schedule=\"from environment\""))
    << log.text();
  EXPECT_TRUE(log.contains("Check test check: ok")) << log.text();
  auto state = read_daemon_state(dir / "state");
  ASSERT_TRUE(state.has_value()) << state.error().message();
  ASSERT_EQ(state->schedules.size(), 1U);
  EXPECT_EQ(state->schedules[0].expression, "@every 1s");
}

// A clock that tests move forward from another thread.
class SteppedClock final : public util::Clock {
 public:
  explicit SteppedClock(util::TimePoint t) : m_ns(t.time_since_epoch().count()) {}
  util::TimePoint now() const override { return util::TimePoint(util::TimePoint::duration(m_ns.load())); }
  void set(util::TimePoint t) { m_ns = t.time_since_epoch().count(); }

 private:
  std::atomic<util::TimePoint::rep> m_ns;
};

util::TimePoint jan_2026(int day, int hour, int minute, int second = 0) {
  // 2026-01-01T00:00:00Z is 1767225600; day 0 is 2025-12-31.
  return util::TimePoint{} +
         std::chrono::seconds(1'767'225'600 + ((day - 1) * 24 + hour) * 3600 + minute * 60 + second);
}

bool wait_for(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(Daemon, ReportsAnOverdueScheduleOnceUntilARunFinishes) {
  // VOLBACK_HEALTH_GRACE is 1h by default.
  const OneSchedule one("0 3 * * *");

  util::CapturingLogger log;
  SteppedClock clock(jan_2026(1, 0, 0));
  util::CancelToken cancel;
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  std::mutex mutex;
  std::vector<ScheduleOverdue> reported;
  // Every run is stuck (waiting for the lock, say) until released; it reports its start.
  DaemonDeps deps{log,
                  clock,
                  cancel,
                  [&](const ScheduleConfig& schedule) {
                    const auto start = clock.now();
                    ++runs;
                    while (!release && !cancel.requested()) {
                      std::this_thread::sleep_for(5ms);
                    }
                    return RunReport{.schedule = schedule.key(), .start = start, .end = clock.now()};
                  },
                  [](const BackupConfig&) { return std::vector<CheckResult>{}; },
                  [&](const ScheduleConfig&, const ScheduleOverdue& overdue) {
                    const std::lock_guard lock(mutex);
                    reported.push_back(overdue);
                  }};
  const auto count = [&] {
    const std::lock_guard lock(mutex);
    return reported.size();
  };
  ExitCode code = ExitCode::failed;
  std::thread daemon([&] { code = run_daemon(one.schedules, one.dir / "state", deps); });
  ASSERT_TRUE(wait_for([&] { return log.contains("Successfully scheduled backup"); })) << log.text();

  // 03:00 fires a run that does not finish; within the grace nothing is reported.
  clock.set(jan_2026(1, 3, 0, 1));
  ASSERT_TRUE(wait_for([&] { return runs == 1; }));
  clock.set(jan_2026(1, 3, 59));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count(), 0U);

  // Past due + grace: reported once, however long it stays overdue.
  clock.set(jan_2026(1, 4, 0, 2));
  ASSERT_TRUE(wait_for([&] { return count() == 1; })) << log.text();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count(), 1U);
  {
    const std::lock_guard lock(mutex);
    EXPECT_EQ(reported[0].schedule, "environment");
    EXPECT_EQ(reported[0].expression, "0 3 * * *");
    EXPECT_EQ(reported[0].due, jan_2026(1, 3, 0));
    EXPECT_EQ(reported[0].grace, std::chrono::hours(1));
    EXPECT_TRUE(reported[0].running);
  }
  EXPECT_TRUE(log.contains("level=ERROR msg=\"Schedule from environment is overdue\"")) << log.text();
  EXPECT_TRUE(log.contains("it was due at 2026-01-01T03:00:00Z and no run has finished since (grace 1h0m0s)"));

  // The run finishes: the schedule waits for the next day's 03:00, and a run stuck then
  // is reported again.
  release = true;
  std::this_thread::sleep_for(300ms);
  release = false;
  clock.set(jan_2026(2, 3, 0, 1));
  ASSERT_TRUE(wait_for([&] { return runs == 2; }));
  clock.set(jan_2026(2, 4, 0, 2));
  ASSERT_TRUE(wait_for([&] { return count() == 2; })) << log.text();
  {
    const std::lock_guard lock(mutex);
    EXPECT_EQ(reported[1].due, jan_2026(2, 3, 0));
  }
  cancel.request();
  daemon.join();
  EXPECT_EQ(code, ExitCode::ok);
  EXPECT_EQ(count(), 2U);
}

TEST(Daemon, TheDueTimeFollowsTheLastRunOrTheDaemonsStart) {
  const util::TimePoint started = jan_2026(1, 0, 0);
  // No run ever finished: the first fire time after the daemon's start is awaited.
  const auto cron = schedule::parse_cron("0 3 * * *", util::TimeZone::utc());
  ASSERT_TRUE(cron);
  EXPECT_EQ(due_time(*cron, std::nullopt, started), jan_2026(1, 3, 0));
  // A run that started before the daemon did not count: the daemon's start does.
  EXPECT_EQ(due_time(*cron, jan_2026(0, 3, 0), started), jan_2026(1, 3, 0));
  // After a run, the next fire time after its start.
  EXPECT_EQ(due_time(*cron, jan_2026(1, 3, 0, 5), started), jan_2026(2, 3, 0));
}

TEST(Daemon, AnInvalidScheduleIsDisabledAloneAndFailsTheHealthCheck) {
  OneSchedule one("@every 1h");
  // A conf.d file with a bad cron expression, and one that could not be read at all.
  one.schedules.readable.emplace_back(
    *one.environment, std::make_unique<util::MapSource>(
                        std::map<std::string, std::string, std::less<>>{{"BACKUP_CRON_EXPRESSION", "@sometimes"}},
                        "/etc/conf.d/bad.env"));
  one.schedules.unreadable.push_back({"/etc/conf.d/fifo.env", util::Error(util::ErrorKind::invalid_argument,
                                                                          "conf.d file /etc/conf.d/fifo.env: a FIFO")});
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  DaemonDeps deps{log, clock, cancel, [](const ScheduleConfig&) { return RunReport{}; },
                  [](const BackupConfig&) {
                    return std::vector<CheckResult>{{"reachable", true, ""}};
                  }};
  ExitCode code = ExitCode::failed;
  std::thread daemon([&] { code = run_daemon(one.schedules, one.dir / "state", deps); });
  const auto state = [&] { return read_daemon_state(one.dir / "state"); };
  ASSERT_TRUE(wait_for([&] {
    const auto s = state();
    return s && s->checks.size() == 3;  // the two invalid files, then the reachability check
  }))
    << log.text();
  cancel.request();
  daemon.join();
  EXPECT_EQ(code, ExitCode::ok);
  EXPECT_TRUE(log.contains("Successfully scheduled backup from environment")) << log.text();
  EXPECT_TRUE(log.contains("Invalid configuration in /etc/conf.d/bad.env")) << log.text();
  EXPECT_TRUE(log.contains("BACKUP_CRON_EXPRESSION")) << log.text();
  EXPECT_TRUE(log.contains("Invalid configuration in /etc/conf.d/fifo.env")) << log.text();
  const auto recorded = state();
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->schedules.size(), 1U);
  EXPECT_EQ(recorded->checks[0].name, "configuration of /etc/conf.d/fifo.env");
  EXPECT_FALSE(recorded->checks[0].ok);
  EXPECT_EQ(recorded->checks[1].name, "configuration of /etc/conf.d/bad.env");
  EXPECT_FALSE(recorded->checks[1].ok);
  EXPECT_TRUE(recorded->checks[2].ok);
}

TEST(Daemon, WithoutAValidScheduleItExits2) {
  volback::testing::TempDir dir;
  const util::MapSource environment(
    {{"BACKUP_SOURCES", dir.path()}, {"BACKUP_ARCHIVE", dir.path()}, {"BACKUP_CRON_EXPRESSION", "@sometimes"}},
    "environment");
  Schedules schedules;
  schedules.readable.emplace_back(environment, nullptr);
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  DaemonDeps deps{log, clock, cancel, [](const ScheduleConfig&) { return RunReport{}; },
                  [](const BackupConfig&) { return std::vector<CheckResult>{}; }};
  EXPECT_EQ(run_daemon(schedules, dir / "state", deps), ExitCode::usage);
  EXPECT_TRUE(log.contains("BACKUP_CRON_EXPRESSION")) << log.text();
  EXPECT_FALSE(std::filesystem::exists(dir / "state/daemon.json"));
}

}  // namespace
}  // namespace volback::app
