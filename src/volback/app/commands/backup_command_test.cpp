#include <volback/app/commands/backup_command.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/app/run/run_history.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

class CollectingListener final : public RunListener {
 public:
  void run_finished(const RunReport& report) override { reports.push_back(report); }
  std::vector<RunReport> reports;
};

class BackupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "src/app");
    std::filesystem::create_directories(m_dir / "archive");
    std::ofstream(m_dir / "src/app/data") << "data";
  }
  RunReport run(std::map<std::string, std::string, std::less<>> extra = {}) {
    std::map<std::string, std::string, std::less<>> values{{"BACKUP_SOURCES", m_dir / "src"},
                                                           {"BACKUP_ARCHIVE", m_dir / "archive"},
                                                           {"VOLBACK_LOCK_FILE", m_dir / "lock"},
                                                           {"VOLBACK_STATE_DIR", m_dir / "state"}};
    values.merge(extra);
    const util::MapSource env(std::move(values), "environment");
    const ScheduleConfig schedule(env, nullptr);
    const Host host = no_containers_host();
    const util::FixedClock clock(util::TimePoint{std::chrono::seconds(1'700'000'000)});
    const util::CancelToken cancel;
    RunListener* const listeners[] = {&m_listener};
    return run_backup(schedule, {m_log, clock, cancel, host}, listeners);
  }

  testing::TempDir m_dir;
  util::CapturingLogger m_log;
  CollectingListener m_listener;
};

TEST_F(BackupCommandTest, AFinishedRunGoesToTheHistoryAndToEveryListener) {
  const auto report = run();
  EXPECT_EQ(report.exit_code, ExitCode::ok) << m_log.text();
  EXPECT_TRUE(report.archive.starts_with("backup-")) << report.archive;
  ASSERT_EQ(report.backends.size(), 1U);
  EXPECT_EQ(report.backends[0].backend, "Local");
  ASSERT_EQ(m_listener.reports.size(), 1U);
  EXPECT_EQ(m_listener.reports[0].archive, report.archive);
  const auto records = read_run_records(m_dir / "state", "environment");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].archive, report.archive);
  EXPECT_EQ(records[0].exit_code, 0);
  EXPECT_TRUE(m_log.contains("Backup completed successfully"));
}

TEST_F(BackupCommandTest, AnInvalidConfigurationIsReportedToo) {
  const auto report = run({{"BACKUP_COMPRESSION", "bz2"}});
  EXPECT_EQ(report.exit_code, ExitCode::usage);
  ASSERT_EQ(m_listener.reports.size(), 1U);
  ASSERT_TRUE(m_listener.reports[0].error);
  const auto records = read_run_records(m_dir / "state", "environment");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].exit_code, 2);
}

}  // namespace
}  // namespace volback::app
