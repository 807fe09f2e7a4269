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
using util::TimePoint;

// Records the calls and checks, at resume time, whether remote backends already had
// the archive: after a stop they must not, because the containers come back first.
class RecordingQuiescer final : public Quiescer {
 public:
  explicit RecordingQuiescer(bool stops) : m_stops(stops) {}

  std::function<void()> on_resume;
  std::optional<util::Error> quiesce_error;
  int quiesced = 0;
  int resumed = 0;

  util::Result<Quiesced> quiesce() override {
    ++quiesced;
    if (quiesce_error) {
      return util::fail(*quiesce_error);
    }
    return m_stops ? Quiesced{{"db"}, {}} : Quiesced{};
  }
  util::Result<void> resume() override {
    ++resumed;
    if (on_resume) {
      on_resume();
    }
    return {};
  }

 private:
  bool m_stops;
};

class BackupJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_root = m_temp.path();
    fsys::create_directories(m_root / "src/backup/app");
    fsys::create_directories(m_root / "archive");
    fsys::create_directories(m_root / "spool");
    std::ofstream(m_root / "src/backup/app/data.txt") << std::string(100000, 'x');
  }

  BackupConfig config() const {
    BackupConfig c;
    c.run.filename_template = "backup-%Y.{{ .Extension }}";
    c.run.lock_timeout = std::chrono::seconds(1);
    c.run.lock_file = (m_root / "lock").string();
    c.run.state_dir = (m_root / "state").string();
    c.run.spool_dir = (m_root / "spool").string();
    c.archive.source = (m_root / "src/backup").string();
    c.compression.codec = compress::Codec::gzip;
    c.backends = {storage::local::make_local_config({(m_root / "archive").string(), std::nullopt})};
    return c;
  }

  util::Result<BackupOutcome> run(BackupConfig c, std::vector<std::unique_ptr<storage::Backend>> backends,
                                  Quiescer& quiescer, StoredBackupVerifier verify = {}) {
    // The job owns the backends; keep it alive so the test can inspect them.
    m_job = std::make_unique<BackupJob>(std::move(c), std::move(backends),
                                        BackupDeps{m_log, m_clock, m_cancel, quiescer, nullptr, std::move(verify)});
    return m_job->run();
  }

  testing::TempDir m_temp{"volback-job"};
  fsys::path m_root;
  util::CapturingLogger m_log;
  util::FixedClock m_clock{TimePoint(std::chrono::seconds(1'700'000'000))};
  util::CancelToken m_cancel;
  std::unique_ptr<BackupJob> m_job;
};

std::vector<std::unique_ptr<storage::Backend>> backends_of(std::unique_ptr<storage::Backend> a,
                                                           std::unique_ptr<storage::Backend> b = nullptr) {
  std::vector<std::unique_ptr<storage::Backend>> out;
  out.push_back(std::move(a));
  if (b) {
    out.push_back(std::move(b));
  }
  return out;
}

TEST_F(BackupJobTest, StreamsTheSameArchiveToEveryBackend) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto b = std::make_unique<testing::MemoryBackend>(m_clock, "B");
  auto* pa = a.get();
  auto* pb = b.get();
  RecordingQuiescer quiescer(false);
  auto outcome = run(config(), backends_of(std::move(a), std::move(b)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_EQ(outcome->archive_name, "backup-2023.tar.gz");
  ASSERT_EQ(pa->objects.count("backup-2023.tar.gz"), 1U);
  EXPECT_EQ(pa->objects["backup-2023.tar.gz"].data, pb->objects["backup-2023.tar.gz"].data);
  EXPECT_EQ(outcome->size, pa->objects["backup-2023.tar.gz"].data.size());
  EXPECT_EQ(pa->content_types["backup-2023.tar.gz"], "application/gzip");
  EXPECT_EQ(quiescer.quiesced, 1);
  EXPECT_EQ(quiescer.resumed, 1);
}

TEST_F(BackupJobTest, AFailingSweepOfOldUploadsOnlyWarns) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  a->fail_sweep = util::Error(util::ErrorKind::transient, "ListMultipartUploads: HTTP 500");
  auto* pa = a.get();
  RecordingQuiescer quiescer(false);
  auto outcome = run(config(), backends_of(std::move(a)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_EQ(pa->objects.count("backup-2023.tar.gz"), 1U);
  EXPECT_TRUE(m_log.contains("Could not clean up the incomplete uploads of earlier runs"));
}

TEST_F(BackupJobTest, ABackendThatTakesNoLiveStreamGetsTheCompleteFileWithItsSize) {
  auto streaming = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto whole = std::make_unique<testing::MemoryBackend>(m_clock, "B");
  whole->props.streaming_upload = false;
  auto* pa = streaming.get();
  auto* pb = whole.get();
  RecordingQuiescer quiescer(false);  // nothing stopped: still a disk route, for B
  auto c = config();
  c.backends.clear();
  auto outcome = run(c, backends_of(std::move(streaming), std::move(whole)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_EQ(pa->objects["backup-2023.tar.gz"].data, pb->objects["backup-2023.tar.gz"].data);
  EXPECT_EQ(pb->put_options["backup-2023.tar.gz"].size, outcome->size);
  EXPECT_FALSE(pa->put_options["backup-2023.tar.gz"].size);  // A tailed the growing spool
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
}

TEST_F(BackupJobTest, OneFailingBackendMakesThePartialExitCode) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto b = std::make_unique<testing::MemoryBackend>(m_clock, "B");
  b->fail_after_bytes = 10;
  auto* pa = a.get();
  auto* pb = b.get();
  RecordingQuiescer quiescer(false);
  auto outcome = run(config(), backends_of(std::move(a), std::move(b)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::partial);
  EXPECT_EQ(pa->objects.size(), 1U);
  EXPECT_TRUE(pb->objects.empty());
  ASSERT_EQ(outcome->backends.size(), 2U);
  EXPECT_FALSE(outcome->backends[0].error);
  EXPECT_TRUE(outcome->backends[1].error);
}

TEST_F(BackupJobTest, EveryBackendFailingFailsTheRunAndStillResumes) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  a->fail_begin = util::Error(util::ErrorKind::auth, "denied");
  RecordingQuiescer quiescer(true);
  auto c = config();
  c.backends.clear();
  auto outcome = run(c, backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(quiescer.resumed, 1);
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
}

// Remote uploads tail the local file while it is written, so they may finish before or
// after the seal; the seal itself waits only for the local file.
TEST_F(BackupJobTest, AfterAStopTheLocalFileIsSealedAtResumeAndCopied) {
  auto local = storage::local::make_local_backend({*config().local_archive_directory(), std::nullopt}, m_log);
  auto remote = std::make_unique<testing::MemoryBackend>(m_clock, "Remote");
  auto* premote = remote.get();
  RecordingQuiescer quiescer(true);
  bool sealed_on_disk = false;
  quiescer.on_resume = [&] { sealed_on_disk = fsys::exists(m_root / "archive/backup-2023.tar.gz"); };
  auto outcome = run(config(), backends_of(std::move(local), std::move(remote)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_TRUE(sealed_on_disk);
  ASSERT_EQ(premote->objects.size(), 1U);
  EXPECT_EQ(premote->objects.begin()->second.data.size(), fsys::file_size(m_root / "archive/backup-2023.tar.gz"));
}

TEST_F(BackupJobTest, LogsOffensLinesForTheArchiveAndEachBackendThatStoredIt) {
  const std::string dir = *config().local_archive_directory();
  auto local = storage::local::make_local_backend({dir, std::string("latest.tar.gz")}, m_log);
  auto failing = std::make_unique<testing::MemoryBackend>(m_clock, "Remote");
  failing->fail_begin = util::Error(util::ErrorKind::auth, "denied");
  RecordingQuiescer quiescer(false);
  auto outcome = run(config(), backends_of(std::move(local), std::move(failing)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  const std::string text = m_log.text();
  const auto created = text.find("msg=\"Created backup of `" + config().archive.source + "` at `" + dir +
                                 "/backup-2023.tar.gz`.\" entries=");
  const auto stored = text.find("msg=\"Stored copy of backup `backup-2023.tar.gz` in `" + dir + "`.\" storage=Local\n");
  const auto symlink = text.find("msg=\"Created/Updated symlink `latest.tar.gz` for latest backup.\" storage=Local\n");
  ASSERT_NE(created, std::string::npos) << text;
  ASSERT_NE(stored, std::string::npos) << text;
  ASSERT_NE(symlink, std::string::npos) << text;
  EXPECT_LT(created, stored);
  EXPECT_LT(stored, symlink);
  EXPECT_EQ(text.find("storage=Remote"), std::string::npos) << text;  // it stored nothing
  EXPECT_EQ(text.find("Encrypted backup"), std::string::npos) << text;
}

TEST_F(BackupJobTest, AfterAStopWithoutLocalBackendTheSpoolIsUsedAndRemoved) {
  auto remote = std::make_unique<testing::MemoryBackend>(m_clock, "Remote");
  auto* premote = remote.get();
  RecordingQuiescer quiescer(true);
  bool spooled_at_resume = false;
  quiescer.on_resume = [&] { spooled_at_resume = !fsys::is_empty(m_root / "spool"); };
  auto c = config();
  c.backends.clear();
  auto outcome = run(c, backends_of(std::move(remote)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_TRUE(spooled_at_resume);
  EXPECT_EQ(premote->objects.size(), 1U);
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
}

TEST_F(BackupJobTest, FromSnapshotRestartsAfterTheCopyAndWritesTheSameArchive) {
  fsys::create_directories(m_root / "src/backup/app/empty");
  auto c = config();
  c.compression.codec = compress::Codec::none;  // compare the tar itself
  auto plain = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pplain = plain.get();
  RecordingQuiescer plain_quiescer(true);
  ASSERT_TRUE(run(c, backends_of(std::move(plain)), plain_quiescer));
  ASSERT_EQ(pplain->objects.count("backup-2023.tar"), 1U);
  const std::string plain_tar = pplain->objects["backup-2023.tar"].data;  // the next run() frees pplain

  auto snapshotted = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* psnapshotted = snapshotted.get();
  RecordingQuiescer quiescer(true);
  bool copied_at_resume = false;
  bool archived_at_resume = true;
  quiescer.on_resume = [&] {
    for (const auto& entry : fsys::directory_iterator(m_root / "spool")) {
      copied_at_resume = fsys::exists(entry.path() / "tree/app/data.txt");
    }
    archived_at_resume = !psnapshotted->objects.empty();
  };
  c.run.from_snapshot = true;
  auto outcome = run(c, backends_of(std::move(snapshotted)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_EQ(quiescer.resumed, 1);
  EXPECT_TRUE(copied_at_resume);
  EXPECT_FALSE(archived_at_resume);
  EXPECT_EQ(outcome->stopped.containers, std::vector<std::string>{"db"});
  ASSERT_EQ(psnapshotted->objects.count("backup-2023.tar"), 1U);
  EXPECT_EQ(psnapshotted->objects["backup-2023.tar"].data, plain_tar)
    << "the snapshot's archive differs from the source's";
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
  EXPECT_TRUE(m_log.contains("Using BACKUP_FROM_SNAPSHOT has been deprecated"));
  const std::string log = m_log.text();
  const auto created = log.find("Created snapshot of");
  const auto archiving = log.find("Archiving the snapshot");
  const auto removed = log.find("Removed snapshot");
  ASSERT_NE(removed, std::string::npos) << log;
  EXPECT_LT(created, archiving);
  EXPECT_LT(archiving, removed);
}

TEST_F(BackupJobTest, FromSnapshotFailingToCopyRestartsAndStoresNothing) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(true);
  auto c = config();
  c.run.from_snapshot = true;
  c.run.spool_dir = (m_root / "no-such-spool").string();
  auto outcome = run(c, backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message().find("creating the snapshot"), std::string::npos) << outcome.error().message();
  EXPECT_TRUE(pa->objects.empty());
  EXPECT_EQ(quiescer.resumed, 1);
}

// A copy that fails midway: the containers come back while the partial copy still
// exists; it is removed afterwards.
TEST_F(BackupJobTest, FromSnapshotACopyThatFailsRestartsBeforeThePartialCopyIsRemoved) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(true);
  bool partial_copy_at_resume = false;
  quiescer.on_resume = [&] { partial_copy_at_resume = !fsys::is_empty(m_root / "spool"); };
  auto c = config();
  c.run.from_snapshot = true;
  c.archive.source = (m_root / "missing").string();
  auto outcome = run(c, backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(quiescer.resumed, 1);
  EXPECT_TRUE(partial_copy_at_resume);
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
  EXPECT_TRUE(pa->objects.empty());
}

TEST_F(BackupJobTest, ASnapshotLeftByAKilledRunIsRemovedAtTheNextStart) {
  fsys::create_directories(m_root / "spool/.volback-snapshot-killed/tree/app");
  std::ofstream(m_root / "spool/.volback-snapshot-killed/tree/app/data.txt") << "stale";
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  RecordingQuiescer quiescer(false);
  auto outcome = run(config(), backends_of(std::move(a)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_TRUE(fsys::is_empty(m_root / "spool"));
  EXPECT_TRUE(m_log.contains("Removed the snapshot an interrupted run left behind"));
}

TEST_F(BackupJobTest, AFailedQuiesceWritesNothing) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(true);
  quiescer.quiesce_error = util::Error(util::ErrorKind::permanent, "stop failed");
  auto outcome = run(config(), backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_TRUE(pa->objects.empty());
  EXPECT_EQ(quiescer.resumed, 0);
}

TEST_F(BackupJobTest, AMissingSourceFailsAndResumes) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(true);
  auto c = config();
  c.backends.clear();
  c.archive.source = (m_root / "missing").string();
  auto outcome = run(c, backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_TRUE(pa->objects.empty());
  EXPECT_EQ(quiescer.resumed, 1);
}

TEST_F(BackupJobTest, PrunesExpiredBackupsAfterTheCommit) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  pa->objects["backup-old.tar.gz"] = {"old", m_clock.now() - std::chrono::hours(24 * 14)};
  pa->objects["other-file"] = {"keep", m_clock.now() - std::chrono::hours(24 * 14)};
  RecordingQuiescer quiescer(false);
  auto c = config();
  c.retention.retention_days = 7;
  c.retention.prefix = "backup-";
  auto outcome = run(c, backends_of(std::move(a)), quiescer);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(pa->objects.count("backup-old.tar.gz"), 0U);
  EXPECT_EQ(pa->objects.count("other-file"), 1U);
  EXPECT_EQ(pa->objects.count("backup-2023.tar.gz"), 1U);
  EXPECT_TRUE(m_log.contains("Pruned 1 out of 2 backups"));
}

// Retention 7 days with BACKUP_VERIFY_BEFORE_PRUNE on backend `a` alone, which holds an
// expired backup-old.tar.gz.
BackupConfig verifying_config(BackupConfig c, testing::MemoryBackend& a, const util::Clock& clock) {
  a.objects["backup-old.tar.gz"] = {"old", clock.now() - std::chrono::hours(24 * 14)};
  c.backends.clear();
  c.retention.retention_days = 7;
  c.retention.prefix = "backup-";
  c.retention.verify_before_prune = true;
  return c;
}

TEST_F(BackupJobTest, ABackupThatFailsVerificationPrunesNothing) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(false);
  const auto c = verifying_config(config(), *pa, m_clock);
  std::string verified;
  auto outcome =
    run(c, backends_of(std::move(a)), quiescer,
        [&](storage::Backend& backend, const std::string& name) -> util::Result<std::optional<std::string>> {
          verified = std::string(backend.name()) + ":" + name;
          return std::optional<std::string>("app/data.txt: content hash differs");
        });
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(verified, "A:backup-2023.tar.gz");
  EXPECT_EQ(pa->objects.count("backup-old.tar.gz"), 1U);
  EXPECT_EQ(outcome->exit_code, ExitCode::incomplete);
  EXPECT_EQ(outcome->prune_refusal,
            "the new backup backup-2023.tar.gz failed verification in backend A: app/data.txt: content hash differs");
}

TEST_F(BackupJobTest, AnIntactBackupIsVerifiedThenPrunes) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(false);
  const auto c = verifying_config(config(), *pa, m_clock);
  int calls = 0;
  auto outcome = run(c, backends_of(std::move(a)), quiescer,
                     [&](storage::Backend&, const std::string&) -> util::Result<std::optional<std::string>> {
                       ++calls;
                       return std::nullopt;
                     });
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(outcome->exit_code, ExitCode::ok);
  EXPECT_EQ(pa->objects.count("backup-old.tar.gz"), 0U);
}

TEST_F(BackupJobTest, CancellationFailsTheRunAndLeavesNothing) {
  auto a = std::make_unique<testing::MemoryBackend>(m_clock, "A");
  auto* pa = a.get();
  RecordingQuiescer quiescer(false);
  m_cancel.request();
  auto outcome = run(config(), backends_of(std::move(a)), quiescer);
  ASSERT_FALSE(outcome);
  EXPECT_TRUE(pa->objects.empty());
}

}  // namespace
}  // namespace volback::app
