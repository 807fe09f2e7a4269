#include <volback/app/run_lock.hpp>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

class RunLockTest : public ::testing::Test {
protected:
  std::string lock_path(const char* name) const { return m_dir / name; }

  volback::testing::TempDir m_dir{"volback-run-lock"};
};

TEST_F(RunLockTest, SecondHolderTimesOutWhileTheFirstHoldsIt) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("a.lock");
  auto first = RunLock::acquire(path, std::chrono::seconds(1), log, cancel);
  ASSERT_TRUE(first) << first.error().message();
  // flock locks belong to the open file description, so a second open conflicts even
  // within one process.
  auto second = RunLock::acquire(path, std::chrono::milliseconds(300), log, cancel);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find("timed out waiting for lockfile"), std::string::npos);
  EXPECT_TRUE(log.contains("Exclusive lock was not available on first attempt"));
}

TEST_F(RunLockTest, ReleasedOnDestruction) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("b.lock");
  { auto first = RunLock::acquire(path, std::chrono::seconds(1), log, cancel); ASSERT_TRUE(first); }
  EXPECT_TRUE(RunLock::acquire(path, std::chrono::seconds(0), log, cancel));
}

TEST_F(RunLockTest, CancelStopsTheWait) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("c.lock");
  auto first = RunLock::acquire(path, std::chrono::seconds(1), log, cancel);
  ASSERT_TRUE(first);
  cancel.request();
  auto second = RunLock::acquire(path, std::chrono::hours(1), log, cancel);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind(), util::ErrorKind::cancelled);
}

TEST_F(RunLockTest, CreatesTheDirectory) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("nested/dir/d.lock");
  EXPECT_TRUE(RunLock::acquire(path, std::chrono::seconds(0), log, cancel));
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace volback::app
