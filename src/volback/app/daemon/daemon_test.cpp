#include <volback/app/daemon/daemon.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include <volback/app/run/run_history.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using namespace std::chrono_literals;

TEST(Daemon, SkipsFiresWhileARunIsInProgressAndStopsCleanly) {
  volback::testing::TempDir dir;
  std::filesystem::create_directories(dir / "src");
  std::filesystem::create_directories(dir / "archive");
  const util::MapSource environment({{"BACKUP_SOURCES", dir / "src"},
                                     {"BACKUP_ARCHIVE", dir / "archive"},
                                     {"VOLBACK_LOCK_FILE", dir / "lock"},
                                     {"VOLBACK_STATE_DIR", dir / "state"},
                                     {"TZ", "UTC"},
                                     {"BACKUP_CRON_EXPRESSION", "@every 1s"}},
                                    "environment");
  std::vector<ScheduleConfig> schedules;
  schedules.emplace_back(environment, nullptr);

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
                    return ExitCode::failed;
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
  EXPECT_TRUE(log.contains("Check test check: ok")) << log.text();
  auto state = read_daemon_state(dir / "state");
  ASSERT_TRUE(state.has_value()) << state.error().message();
  ASSERT_EQ(state->schedules.size(), 1U);
  EXPECT_EQ(state->schedules[0].expression, "@every 1s");
}

TEST(Daemon, InvalidScheduleIsAStaticError) {
  volback::testing::TempDir dir;
  const util::MapSource environment(
    {{"BACKUP_SOURCES", dir.path()}, {"BACKUP_ARCHIVE", dir.path()}, {"BACKUP_CRON_EXPRESSION", "@sometimes"}},
    "environment");
  std::vector<ScheduleConfig> schedules;
  schedules.emplace_back(environment, nullptr);
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  DaemonDeps deps{log, clock, cancel, [](const ScheduleConfig&) { return ExitCode::ok; },
                  [](const BackupConfig&) { return std::vector<CheckResult>{}; }};
  EXPECT_EQ(run_daemon(schedules, dir / "state", deps), ExitCode::usage);
  EXPECT_TRUE(log.contains("BACKUP_CRON_EXPRESSION")) << log.text();
  EXPECT_FALSE(std::filesystem::exists(dir / "state/daemon.json"));
}

}  // namespace
}  // namespace volback::app
