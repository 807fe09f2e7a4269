#include <volback/app/backup/snapshot.hpp>

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace fsys = std::filesystem;
using testing::read_file;
using testing::write_file;

class SnapshotTest : public ::testing::Test {
 protected:
  SnapshotTest() {
    fsys::create_directories(m_dir / "src/app/empty");
    fsys::create_directories(m_dir / "spool");
    write_file(m_dir / "src/app/file", "content");
    write_file(m_dir / "src/app/cache.tmp", "dropped");
  }

  util::Result<std::unique_ptr<Snapshot>> take(const archive::Exclusion* exclude = nullptr) {
    VOLBACK_TRY_ASSIGN(auto snapshot, Snapshot::create(m_dir / "spool", m_log));
    VOLBACK_TRY(snapshot->copy(m_dir / "src", exclude, m_cancel));
    return snapshot;
  }

  std::vector<std::string> spool_names() const {
    std::vector<std::string> names;
    for (const auto& entry : fsys::directory_iterator(m_dir / "spool")) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  testing::TempDir m_dir{"volback-snapshot"};
  util::CapturingLogger m_log;
  util::CancelToken m_cancel;
};

TEST_F(SnapshotTest, CopiesIntoTheSpoolAndRemovesTheCopyWhenDestroyed) {
  auto exclusion = archive::Exclusion::compile(R"(\.tmp$)");
  ASSERT_TRUE(exclusion);
  auto snapshot = take(&*exclusion);
  ASSERT_TRUE(snapshot) << snapshot.error().message();
  const std::string path = (*snapshot)->path();
  EXPECT_TRUE(path.starts_with(m_dir / "spool/.volback-snapshot-")) << path;
  EXPECT_EQ(read_file(path + "/app/file"), "content");
  EXPECT_TRUE(fsys::is_directory(path + "/app/empty"));
  EXPECT_FALSE(fsys::exists(path + "/app/cache.tmp"));
  EXPECT_EQ((*snapshot)->report().bytes, 7U);
  struct stat outer {};
  ASSERT_EQ(::stat(fsys::path(path).parent_path().c_str(), &outer), 0);
  EXPECT_EQ(outer.st_mode & 07777, 0700U);
  EXPECT_TRUE(m_log.contains("level=WARN msg=\"Using BACKUP_FROM_SNAPSHOT has been deprecated"));
  EXPECT_TRUE(m_log.contains("Please use `archive-pre` and `archive-post` commands"));
  EXPECT_TRUE(m_log.contains("Created snapshot of `" + m_dir / "src` at `" + path + "`: 7 bytes,"));

  snapshot->reset();
  EXPECT_TRUE(spool_names().empty());
  EXPECT_TRUE(m_log.contains("Removed snapshot `" + path + "`."));
}

// The partial copy stays until the Snapshot goes, so that the caller restarts the
// containers first.
TEST_F(SnapshotTest, AFailedCopyLeavesNothingOnceTheSnapshotGoes) {
  auto snapshot = Snapshot::create(m_dir / "spool", m_log);
  ASSERT_TRUE(snapshot) << snapshot.error().message();
  auto copied = (*snapshot)->copy(m_dir / "missing", nullptr, m_cancel);
  ASSERT_FALSE(copied);
  EXPECT_NE(copied.error().message().find("creating the snapshot in " + m_dir / "spool"), std::string::npos)
    << copied.error().message();
  EXPECT_EQ(spool_names().size(), 1U);
  snapshot->reset();
  EXPECT_TRUE(spool_names().empty());
}

TEST_F(SnapshotTest, ACancelledCopyLeavesNothing) {
  m_cancel.request();
  auto snapshot = take();
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().kind(), util::ErrorKind::cancelled);
  EXPECT_TRUE(spool_names().empty());
}

TEST_F(SnapshotTest, TheSweepRemovesDeadSnapshotsButNotALiveOne) {
  fsys::create_directories(m_dir / "spool/.volback-snapshot-dead/tree/readonly");
  write_file(m_dir / "spool/.volback-snapshot-dead/tree/readonly/file", "stale");
  ASSERT_EQ(::chmod((m_dir / "spool/.volback-snapshot-dead/tree/readonly").c_str(), 0500), 0);
  write_file(m_dir / "spool/.volback-spool-other", "not a snapshot");
  auto live = take();
  ASSERT_TRUE(live) << live.error().message();
  const std::string live_name = fsys::path((*live)->path()).parent_path().filename().string();

  sweep_snapshots(m_dir / "spool", m_log);
  EXPECT_EQ(spool_names(), (std::vector<std::string>{live_name, ".volback-spool-other"}));
  EXPECT_TRUE(fsys::exists((*live)->path() + "/app/file"));
  EXPECT_TRUE(m_log.contains("Removed the snapshot an interrupted run left behind"));
}

TEST_F(SnapshotTest, TheSweepOfAMissingSpoolDirectoryIsQuiet) {
  sweep_snapshots(m_dir / "no-such-dir", m_log);
  EXPECT_EQ(m_log.text(), "");
}

}  // namespace
}  // namespace volback::app
