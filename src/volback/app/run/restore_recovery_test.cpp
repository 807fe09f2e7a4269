#include <volback/app/run/restore_recovery.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include <volback/app/run/restore_record.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

std::uint64_t inode_of(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The states a restore with id "x" into <dir>/vol can be killed in: the directories it
// left, and its record (written the way restore writes it, its lock released as by death).
class RestoreRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stdfs::create_directories(vol());
    ::mkdir(staging().c_str(), 0700);
  }
  std::string vol() const { return m_dir / "vol"; }
  std::string state() const { return m_dir / "state"; }
  std::string staging() const { return vol() + "/" + staging_name("x"); }
  std::string old() const { return vol() + "/" + old_name("x"); }
  void make_old(bool marker) {
    ::mkdir(old().c_str(), 0700);
    if (marker) {
      write_file(old() + "/" + std::string(k_old_complete_marker), "");
    }
  }
  // Writes the record of restore "x" naming what exists now, then lets go of its lock.
  void record(bool with_inodes = true) {
    auto made = RestoreRecord::create(state(), "x");
    ASSERT_TRUE(made) << made.error().message();
    struct stat st {};
    ASSERT_EQ(::stat(vol().c_str(), &st), 0);
    RecordedTarget target{.path = vol(), .device = st.st_dev, .inode = st.st_ino};
    if (with_inodes) {
      target.staging_inode = inode_of(staging());
      target.old_inode = inode_of(old());
    }
    ASSERT_TRUE(made->save({target}));
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : stdfs::directory_iterator(vol())) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::size_t recover() { return recover_interrupted_restores(state(), log); }
  bool record_left() const { return stdfs::exists(state() + "/restores/x.json"); }

  TempDir m_dir;
  util::CapturingLogger log;
};

TEST_F(RestoreRecoveryTest, KilledBeforeTheSwapRemovesTheStaging) {
  write_file(vol() + "/a", "old");
  write_file(staging() + "/a", "new");
  record();
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
  EXPECT_EQ(read_file(vol() + "/a"), "old");
  EXPECT_FALSE(record_left());
}

TEST_F(RestoreRecoveryTest, KilledBeforeTheStagingInodeWasRecorded) {
  write_file(staging() + "/a", "new");
  record(/*with_inodes=*/false);
  EXPECT_EQ(recover(), 1u);
  EXPECT_TRUE(names().empty());
}

TEST_F(RestoreRecoveryTest, KilledWhileTheOldMovedOutRollsBack) {
  make_old(false);
  write_file(vol() + "/a", "old-a");  // not moved yet
  write_file(old() + "/b", "old-b");  // moved
  write_file(staging() + "/a", "new-a");
  write_file(staging() + "/b", "new-b");
  record();
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read_file(vol() + "/a"), "old-a");
  EXPECT_EQ(read_file(vol() + "/b"), "old-b");
  EXPECT_TRUE(log.contains("Rolled back"));
}

TEST_F(RestoreRecoveryTest, KilledWhileTheNewMovedInRollsForward) {
  make_old(true);
  write_file(old() + "/a", "old-a");
  write_file(old() + "/b", "old-b");
  write_file(vol() + "/a", "new-a");      // moved in
  write_file(staging() + "/b", "new-b");  // not yet
  record();
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read_file(vol() + "/a"), "new-a");
  EXPECT_EQ(read_file(vol() + "/b"), "new-b");
  EXPECT_TRUE(log.contains("Completed a restore"));
}

TEST_F(RestoreRecoveryTest, KilledWhileDeletingTheOldFinishesTheDeletion) {
  make_old(true);
  stdfs::create_directories(old() + "/deep");
  write_file(old() + "/deep/b", "old-b");
  write_file(vol() + "/a", "new-a");
  record();
  stdfs::remove(staging());
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
}

TEST_F(RestoreRecoveryTest, WithoutARecordNothingIsTouched) {
  make_old(false);
  write_file(old() + "/b", "planted");
  EXPECT_EQ(recover(), 0u);
  EXPECT_EQ(names(), (std::vector<std::string>{old_name("x"), staging_name("x")}));
  warn_unrecorded_leftovers(m_dir.path(), log);
  EXPECT_TRUE(log.contains("no record"));
}

TEST_F(RestoreRecoveryTest, APlantedSymlinkInPlaceOfTheOldDirectoryIsNeverFollowed) {
  stdfs::create_directories(m_dir / "outside");
  write_file(m_dir / "outside/secret", "keep me");
  record();  // a staging directory, no old one yet
  ASSERT_EQ(::symlink((m_dir / "outside").c_str(), old().c_str()), 0);
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(read_file(m_dir / "outside/secret"), "keep me");
  EXPECT_TRUE(stdfs::is_symlink(old()));   // left alone
  EXPECT_FALSE(stdfs::exists(staging()));  // ours, removed
}

TEST_F(RestoreRecoveryTest, ADirectoryWithAnotherInodeIsNotOurs) {
  make_old(false);
  write_file(old() + "/b", "old-b");
  record();
  // Someone replaces the old-content directory with one of their own (the original kept
  // aside, so that its inode cannot be reused).
  stdfs::rename(old(), m_dir / "kept-aside");
  make_old(false);
  write_file(old() + "/evil", "x");
  recover();
  EXPECT_TRUE(stdfs::exists(old() + "/evil"));
  EXPECT_TRUE(log.contains("Left alone"));
}

TEST_F(RestoreRecoveryTest, ARunningRestoreIsLeftAlone) {
  auto running = RestoreRecord::create(state(), "x");
  ASSERT_TRUE(running);
  struct stat st {};
  ASSERT_EQ(::stat(vol().c_str(), &st), 0);
  ASSERT_TRUE(
    running->save({{.path = vol(), .device = st.st_dev, .inode = st.st_ino, .staging_inode = inode_of(staging())}}));
  EXPECT_EQ(recover(), 0u);
  EXPECT_TRUE(stdfs::exists(staging()));
}

}  // namespace
}  // namespace volback::app
