#include <volback/app/restore_recovery.hpp>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/app/restore_target.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// The states a restore with id "x" into <dir>/vol can be killed in.
class RestoreRecoveryTest : public ::testing::Test {
protected:
  void SetUp() override {
    stdfs::create_directories(vol());
    stdfs::create_directories(staging());
  }
  std::string vol() const { return m_dir / "vol"; }
  std::string staging() const { return vol() + "/.volback-restore-x"; }
  std::string old() const { return vol() + "/.volback-old-x"; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : stdfs::directory_iterator(vol())) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::size_t recover() {
    auto repaired = recover_interrupted_restore(vol(), log);
    EXPECT_TRUE(repaired) << repaired.error().message();
    return repaired ? *repaired : 0;
  }

  TempDir m_dir;
  util::CapturingLogger log;
};

TEST_F(RestoreRecoveryTest, KilledBeforeTheSwapRemovesTheStaging) {
  write_file(vol() + "/a", "old");
  write_file(staging() + "/a", "new");
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
  EXPECT_EQ(read_file(vol() + "/a"), "old");
}

TEST_F(RestoreRecoveryTest, KilledWhileTheOldMovedOutRollsBack) {
  stdfs::create_directories(old());
  write_file(vol() + "/a", "old-a");  // not moved yet
  write_file(old() + "/b", "old-b");  // moved
  write_file(staging() + "/a", "new-a");
  write_file(staging() + "/b", "new-b");
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read_file(vol() + "/a"), "old-a");
  EXPECT_EQ(read_file(vol() + "/b"), "old-b");
  EXPECT_TRUE(log.contains("Rolled back"));
}

TEST_F(RestoreRecoveryTest, KilledWhileTheNewMovedInRollsForward) {
  stdfs::create_directories(old());
  write_file(old() + "/a", "old-a");
  write_file(old() + "/b", "old-b");
  ASSERT_TRUE(write_old_complete_marker(old()));
  write_file(vol() + "/a", "new-a");      // moved in
  write_file(staging() + "/b", "new-b");  // not yet
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read_file(vol() + "/a"), "new-a");
  EXPECT_EQ(read_file(vol() + "/b"), "new-b");
  EXPECT_TRUE(log.contains("Completed a restore"));
}

TEST_F(RestoreRecoveryTest, KilledWhileDeletingTheOldFinishesTheDeletion) {
  stdfs::remove(staging());
  stdfs::create_directories(old() + "/deep");
  write_file(old() + "/deep/b", "old-b");
  write_file(vol() + "/a", "new-a");
  EXPECT_EQ(recover(), 1u);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
}

TEST_F(RestoreRecoveryTest, ACleanVolumeIsLeftAlone) {
  stdfs::remove(staging());
  write_file(vol() + "/a", "data");
  EXPECT_EQ(recover(), 0u);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
  EXPECT_TRUE(log.text().empty());
}

TEST_F(RestoreRecoveryTest, EveryVolumeUnderTheSources) {
  write_file(vol() + "/a", "old");
  stdfs::create_directories(m_dir / "other/.volback-restore-y");
  recover_interrupted_restores(m_dir.path(), log);
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
  EXPECT_FALSE(stdfs::exists(m_dir / "other/.volback-restore-y"));
}

}  // namespace
}  // namespace volback::app
