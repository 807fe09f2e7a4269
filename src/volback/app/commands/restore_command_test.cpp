#include <volback/app/commands/restore_command.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/app/backup/write_archive.hpp>
#include <volback/fs/file_sink.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Records what the command asks of the containers.
class FakeQuiescer final : public Quiescer {
 public:
  explicit FakeQuiescer(std::vector<std::string>& events) : m_events(events) {}
  util::Result<Quiesced> plan() override {
    m_events.push_back("plan");
    return Quiesced{{"db", "web"}, {}};
  }
  util::Result<Quiesced> quiesce() override {
    m_events.push_back("stop");
    return Quiesced{{"db", "web"}, {}};
  }
  util::Result<void> resume() override {
    m_events.push_back("start");
    return {};
  }

 private:
  std::vector<std::string>& m_events;
};

class RestoreCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "src/db");
    std::filesystem::create_directories(m_dir / "src/web");
    std::filesystem::create_directories(m_dir / "archive");
    write_file(m_dir / "src/db/data", "backed-up");
    write_file(m_dir / "src/web/index.html", "page");
    auto out = fs::FileSink::create(m_dir / "archive/backup-1.tar.gz");
    ASSERT_TRUE(out);
    util::CapturingLogger quiet;
    util::CancelToken cancel;
    const compress::CompressionSettings gzip{.codec = compress::Codec::gzip, .threads = 1};
    ASSERT_TRUE(write_archive({.source = m_dir / "src", .exclude_pattern = std::nullopt}, gzip,
                              archive_stream_chain(gzip), {}, **out, quiet, cancel));
    write_file(m_dir / "src/db/data", "changed");
  }

  RestoreCommandResult run(const RestoreRequest& request) {
    const util::MapSource env({{"BACKUP_SOURCES", m_dir / "src"},
                               {"BACKUP_ARCHIVE", m_dir / "archive"},
                               {"VOLBACK_LOCK_FILE", m_dir / "lock"},
                               {"VOLBACK_STATE_DIR", m_dir / "state"}},
                              "environment");
    const util::Settings settings({&env});
    const util::FixedClock clock(util::TimePoint{});
    util::CancelToken cancel;
    Host host = no_containers_host();
    host.make_quiescer = [this](const BackupConfig&, std::vector<std::string> dirs) {
      volume_dirs = dirs;
      return std::make_unique<FakeQuiescer>(events);
    };
    host.mount_source_of = [](const BackupConfig&, const std::string&) {
      return std::optional<std::string>("stack_db");
    };
    return run_restore_command(settings, {log, clock, cancel, host}, request);
  }

  TempDir m_dir;
  util::CapturingLogger log;
  std::vector<std::string> events;
  std::vector<std::string> volume_dirs;
};

TEST_F(RestoreCommandTest, InPlaceStopsTheUsersOfTheSelectedVolumesAroundTheRestore) {
  const auto result = run({.volumes = {"db"}, .in_place = true, .overwrite = true});
  ASSERT_EQ(result.exit_code, ExitCode::ok) << log.text();
  EXPECT_EQ(events, (std::vector<std::string>{"stop", "start"}));
  EXPECT_EQ(volume_dirs, std::vector<std::string>{m_dir / "src/db"});
  EXPECT_EQ(read_file(m_dir / "src/db/data"), "backed-up");
  EXPECT_NE(result.text.find("containers stopped meanwhile: db, web"), std::string::npos) << result.text;
}

TEST_F(RestoreCommandTest, DryRunNamesTheContainersAndChangesNothing) {
  const auto result = run({.in_place = true, .overwrite = true, .dry_run = true});
  ASSERT_EQ(result.exit_code, ExitCode::ok) << log.text();
  EXPECT_EQ(events, std::vector<std::string>{"plan"});
  EXPECT_EQ(volume_dirs, (std::vector<std::string>{m_dir / "src/db", m_dir / "src/web"}));
  EXPECT_EQ(read_file(m_dir / "src/db/data"), "changed");
  EXPECT_NE(result.text.find("would restore db"), std::string::npos) << result.text;
  EXPECT_NE(result.text.find("containers would be stopped meanwhile: db, web"), std::string::npos) << result.text;
}

TEST_F(RestoreCommandTest, ANonEmptyTargetIsRefusedBeforeAnythingIsStopped) {
  const auto result = run({.volumes = {"db"}, .in_place = true});
  EXPECT_EQ(result.exit_code, ExitCode::usage);
  EXPECT_TRUE(events.empty());
  EXPECT_NE(log.text().find("Add --overwrite"), std::string::npos) << log.text();
  EXPECT_EQ(read_file(m_dir / "src/db/data"), "changed");
}

TEST_F(RestoreCommandTest, AVolumeWithoutADirectoryIsRefusedBeforeAnythingIsStopped) {
  const auto result = run({.volumes = {"cache"}, .in_place = true, .overwrite = true});
  EXPECT_EQ(result.exit_code, ExitCode::usage);
  EXPECT_TRUE(events.empty());
  EXPECT_NE(log.text().find("volume cache"), std::string::npos) << log.text();
}

TEST_F(RestoreCommandTest, InPlaceNeverCreatesAVolumeTheBackupHasButThisHostLacks) {
  std::filesystem::remove_all(m_dir / "src/web");
  const auto result = run({.in_place = true, .overwrite = true});
  EXPECT_EQ(result.exit_code, ExitCode::usage) << log.text();
  EXPECT_FALSE(std::filesystem::exists(m_dir / "src/web"));
  EXPECT_EQ(read_file(m_dir / "src/db/data"), "changed");          // nothing changed
  EXPECT_EQ(events, (std::vector<std::string>{"stop", "start"}));  // and the containers came back
}

}  // namespace
}  // namespace volback::app
