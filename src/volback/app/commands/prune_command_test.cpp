#include <volback/app/commands/prune_command.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

// Records what the command asks of the containers.
class RecordingQuiescer final : public Quiescer {
 public:
  explicit RecordingQuiescer(std::vector<std::string>& events) : m_events(events) {}
  util::Result<void> recover() override {
    m_events.push_back("recover");
    return {};
  }
  util::Result<Quiesced> quiesce() override { return Quiesced{}; }
  util::Result<void> resume() override { return {}; }

 private:
  std::vector<std::string>& m_events;
};

TEST(PruneCommand, BringsBackWhatAKilledRunLeftStoppedBeforePruning) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "archive");
  const util::MapSource env({{"BACKUP_SOURCES", dir.path()},
                             {"BACKUP_ARCHIVE", dir / "archive"},
                             {"BACKUP_RETENTION_DAYS", "7"},
                             {"VOLBACK_LOCK_FILE", dir / "lock"},
                             {"VOLBACK_STATE_DIR", dir / "state"}},
                            "environment");
  const util::Settings settings({&env});
  std::vector<std::string> events;
  Host host = no_containers_host();
  host.make_quiescer = [&events](const BackupConfig&, std::vector<std::string>) {
    return std::make_unique<RecordingQuiescer>(events);
  };
  util::CapturingLogger log;
  const util::FixedClock clock(util::TimePoint{std::chrono::seconds(1'700'000'000)});
  const util::CancelToken cancel;
  const auto result = run_prune_command(settings, {log, clock, cancel, host}, {});
  EXPECT_EQ(result.exit_code, ExitCode::ok) << log.text();
  EXPECT_EQ(events, std::vector<std::string>{"recover"});
  EXPECT_TRUE(log.contains("Pruning old backups")) << log.text();
}

}  // namespace
}  // namespace volback::app
