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

// Holds every run in quiesce() until the run's token is cancelled.
class HoldingQuiescer final : public Quiescer {
public:
  HoldingQuiescer(const util::CancelToken& cancel, std::atomic<int>& started) : m_cancel(cancel), m_started(started) {}
  util::Result<Quiesced> quiesce() override {
    ++m_started;
    while (!m_cancel.requested()) {
      std::this_thread::sleep_for(10ms);
    }
    return util::fail(util::ErrorKind::cancelled, "cancelled");
  }
  util::Result<void> resume() override { return {}; }

private:
  const util::CancelToken& m_cancel;
  std::atomic<int>& m_started;
};

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
  DaemonDeps deps{log, clock, cancel, [&](const util::Settings&) {
                    return std::make_unique<HoldingQuiescer>(cancel, started);
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
  const auto runs = read_run_records(dir / "state", "environment");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_TRUE(runs[0].cancelled);
  auto state = read_daemon_state(dir / "state");
  ASSERT_TRUE(state.has_value()) << state.error().message();
  ASSERT_EQ(state->schedules.size(), 1U);
  EXPECT_EQ(state->schedules[0].expression, "@every 1s");
}

TEST(Daemon, InvalidScheduleIsAStaticError) {
  volback::testing::TempDir dir;
  const util::MapSource environment({{"BACKUP_SOURCES", dir.path()},
                                     {"BACKUP_ARCHIVE", dir.path()},
                                     {"BACKUP_CRON_EXPRESSION", "@sometimes"}},
                                    "environment");
  std::vector<ScheduleConfig> schedules;
  schedules.emplace_back(environment, nullptr);
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  DaemonDeps deps{log, clock, cancel, [](const util::Settings&) { return std::make_unique<NoQuiescer>(); }};
  EXPECT_EQ(run_daemon(schedules, dir / "state", deps), ExitCode::usage);
  EXPECT_TRUE(log.contains("BACKUP_CRON_EXPRESSION")) << log.text();
  EXPECT_FALSE(std::filesystem::exists(dir / "state/daemon.json"));
}

}  // namespace
}  // namespace volback::app
