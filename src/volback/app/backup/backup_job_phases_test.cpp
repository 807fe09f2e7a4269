// The order of the exec-label phases around the archive, per route (phase_hooks.hpp).
#include <volback/app/backup/backup_job.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/storage/local/local_backend.hpp>
#include <volback/storage/local/local_backend_type.hpp>
#include <volback/testing/memory_backend.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace fsys = std::filesystem;

// Writes every event, hooks and quiescer alike, into one log.
struct Events {
  std::vector<std::string> list;
};

class LoggingQuiescer final : public Quiescer {
 public:
  LoggingQuiescer(Events& events, bool stops) : m_events(events), m_stops(stops) {}
  util::Result<void> recover() override {
    m_events.list.push_back("recover");
    return {};
  }
  util::Result<Quiesced> quiesce() override {
    m_events.list.push_back("stop");
    return m_stops ? Quiesced{{"app"}, {}} : Quiesced{};
  }
  util::Result<void> resume() override {
    m_events.list.push_back("restart");
    return {};
  }

 private:
  Events& m_events;
  bool m_stops;
};

class LoggingHooks final : public PhaseHooks {
 public:
  explicit LoggingHooks(Events& events) : m_events(events) {}
  std::optional<std::string> failing;  // "archive-pre", ...
  std::optional<std::string> path;
  bool after_seal = false;  // what has_commands_after_seal() says

  void set_archive_path(std::optional<std::string> p) override { path = std::move(p); }
  util::Result<void> pre(Phase phase) override { return record(std::string(to_string(phase)) + "-pre"); }
  util::Result<void> post(Phase phase) override {
    if (phase == Phase::copy) {
      file_at_copy_post = path && fsys::exists(*path);
    }
    return record(std::string(to_string(phase)) + "-post");
  }
  util::Result<bool> has_commands_after_seal() override { return after_seal; }
  bool file_at_copy_post = false;  // whether `path` existed when copy-post ran

 private:
  util::Result<void> record(std::string what) {
    m_events.list.push_back(what);
    if (failing == what) {
      return util::fail(util::ErrorKind::permanent, "running command exited 1");
    }
    return {};
  }
  Events& m_events;
};

class BackupJobPhasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_root = m_temp.path();
    fsys::create_directories(m_root / "src/backup/app");
    fsys::create_directories(m_root / "archive");
    std::ofstream(m_root / "src/backup/app/data.txt") << "data";
  }

  enum class Storage { local_and_remote, remote, none };

  util::Result<BackupOutcome> run(bool stops, Storage storage = Storage::local_and_remote, bool from_snapshot = false) {
    BackupConfig c;
    c.run.from_snapshot = from_snapshot;
    c.run.filename_template = "backup.{{ .Extension }}";
    c.run.lock_timeout = std::chrono::seconds(1);
    c.run.lock_file = (m_root / "lock").string();
    c.run.state_dir = (m_root / "state").string();
    c.run.spool_dir = (m_root / "archive").string();
    c.archive.source = (m_root / "src/backup").string();
    c.compression.codec = compress::Codec::gzip;
    std::vector<std::unique_ptr<storage::Backend>> backends;
    if (storage == Storage::local_and_remote) {
      c.backends = {storage::local::make_local_config({(m_root / "archive").string(), std::nullopt})};
      backends.push_back(storage::local::make_local_backend({*c.local_archive_directory(), std::nullopt}, m_log));
    }
    if (storage != Storage::none) {
      backends.push_back(std::make_unique<testing::MemoryBackend>(m_clock, "Remote"));
    }
    LoggingQuiescer quiescer(events, stops);
    BackupJob job(std::move(c), std::move(backends), BackupDeps{m_log, m_clock, m_cancel, quiescer, &hooks});
    return job.run();
  }

  Events events;
  LoggingHooks hooks{events};
  volback::testing::TempDir m_temp{"volback-phases"};
  fsys::path m_root;
  util::CapturingLogger m_log;
  util::FixedClock m_clock{util::TimePoint(std::chrono::seconds(1'700'000'000))};
  util::CancelToken m_cancel;
};

using Strings = std::vector<std::string>;

TEST_F(BackupJobPhasesTest, StreamingRouteBracketsTheStreamWithEveryPhase) {
  auto outcome = run(false);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(events.list, (Strings{"archive-pre", "process-pre", "copy-pre", "stop", "restart", "copy-post",
                                  "process-post", "archive-post", "prune-pre", "prune-post"}));
  EXPECT_FALSE(hooks.path);  // nothing on local disk to point at while streaming
}

TEST_F(BackupJobPhasesTest, StoppedRouteEndsArchiveAtTheSealAndCopiesAfter) {
  auto outcome = run(true);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(events.list, (Strings{"archive-pre", "process-pre", "copy-pre", "stop", "restart", "process-post",
                                  "archive-post", "copy-post", "prune-pre", "prune-post"}));
  EXPECT_EQ(hooks.path, std::optional<std::string>((m_root / "archive/backup.tar.gz").string()));
  EXPECT_TRUE(fsys::exists(*hooks.path));
}

TEST_F(BackupJobPhasesTest, FromSnapshotRestartsBeforeTheStreamAndBracketsItLikeTheStreamingRoute) {
  auto outcome = run(true, Storage::local_and_remote, true);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(events.list, (Strings{"archive-pre", "process-pre", "copy-pre", "stop", "restart", "copy-post",
                                  "process-post", "archive-post", "prune-pre", "prune-post"}));
  EXPECT_FALSE(hooks.path);
  const auto archiving = m_log.text().find("Archiving the snapshot");
  EXPECT_NE(archiving, std::string::npos);
  EXPECT_LT(m_log.text().find("Created snapshot"), archiving);
}

TEST_F(BackupJobPhasesTest, CommandsAfterTheSealGetTheArchiveFileWhenNothingIsStopped) {
  hooks.after_seal = true;
  auto outcome = run(false, Storage::remote);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(events.list, (Strings{"archive-pre", "process-pre", "copy-pre", "stop", "restart", "process-post",
                                  "archive-post", "copy-post", "prune-pre", "prune-post"}));
  ASSERT_TRUE(hooks.path);
  EXPECT_TRUE(hooks.file_at_copy_post);  // the spool outlives copy-post
  EXPECT_FALSE(fsys::exists(*hooks.path));
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
}

TEST_F(BackupJobPhasesTest, WithoutBackendsTheArchiveIsOnlyForTheCommandsAndRemovedAfterwards) {
  auto outcome = run(false, Storage::none);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_TRUE(outcome->backends.empty());
  ASSERT_TRUE(hooks.path);
  EXPECT_TRUE(hooks.file_at_copy_post);
  EXPECT_FALSE(fsys::exists(*hooks.path));
  EXPECT_TRUE(fsys::is_empty(m_root / "archive"));  // the spool directory
  EXPECT_NE(m_log.text().find("No storage backend is configured"), std::string::npos);
}

TEST_F(BackupJobPhasesTest, AFailingArchivePreStopsNothingAndSkipsItsPost) {
  hooks.failing = "archive-pre";
  auto outcome = run(true);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(events.list, (Strings{"archive-pre"}));
  EXPECT_TRUE(fsys::is_empty(m_root / "archive"));
}

TEST_F(BackupJobPhasesTest, AFailingPrunePreSkipsPruningAndItsPostAndFailsTheRun) {
  hooks.failing = "prune-pre";
  auto outcome = run(true);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::failed);
  EXPECT_EQ(events.list.back(), "prune-pre");  // its post is skipped with it
}

}  // namespace
}  // namespace volback::app
