#include <volback/app/run/run_lock.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>

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
  EXPECT_TRUE(
    log.contains("msg=\"Exclusive lock was not available on first attempt. Will retry until it becomes "
                 "available or the timeout of 300ms is exceeded.\""))
    << log.text();
}

TEST_F(RunLockTest, AWaitThatEndsWithTheLockIsLoggedAsOffenDoes) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("c.lock");
  auto first = std::make_optional(RunLock::acquire(path, std::chrono::seconds(1), log, cancel));
  ASSERT_TRUE(*first);
  std::thread release([&first] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first.reset();
  });
  auto second = RunLock::acquire(path, std::chrono::seconds(10), log, cancel);
  release.join();
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_TRUE(log.contains("the timeout of 10s is exceeded.")) << log.text();
  EXPECT_TRUE(log.contains("msg=\"Acquired exclusive lock on subsequent attempt, ready to continue.\"")) << log.text();
}

TEST_F(RunLockTest, ReleasedOnDestruction) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("b.lock");
  {
    auto first = RunLock::acquire(path, std::chrono::seconds(1), log, cancel);
    ASSERT_TRUE(first);
  }
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

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST_F(RunLockTest, CreatedWithMode0600WhateverTheUmask) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  for (const mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0277}}) {
    const auto path = lock_path(fmt::format("umask-{:o}.lock", mask).c_str());
    const mode_t old = ::umask(mask);
    auto lock = RunLock::acquire(path, std::chrono::seconds(0), log, cancel);
    ::umask(old);
    ASSERT_TRUE(lock) << lock.error().message();
    EXPECT_EQ(mode_of(path), 0600U) << "umask " << mask;
  }
  EXPECT_FALSE(log.contains("other users"));  // nothing to warn about for a new file
}

TEST_F(RunLockTest, AnOwnedLockThatOthersCanOpenIsSetTo0600) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("shared.lock");
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  ::close(fd);
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  EXPECT_TRUE(RunLock::acquire(path, std::chrono::seconds(0), log, cancel));
  EXPECT_EQ(mode_of(path), 0600U);
  EXPECT_TRUE(log.contains("its mode is now 0600")) << log.text();
  EXPECT_TRUE(log.contains("mode=0666")) << log.text();
}

TEST_F(RunLockTest, APathThatIsNotARegularFileIsRefusedWithoutBlocking) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("fifo.lock");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto lock = RunLock::acquire(path, std::chrono::seconds(0), log, cancel);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), util::ErrorKind::permanent);
  EXPECT_NE(lock.error().message().find("is not a regular file"), std::string::npos) << lock.error().message();
}

TEST_F(RunLockTest, TheTimeoutNamesTheHolder) {
  util::CapturingLogger log;
  util::CancelToken cancel;
  const auto path = lock_path("held.lock");
  auto first = RunLock::acquire(path, std::chrono::seconds(1), log, cancel);
  ASSERT_TRUE(first);
  auto second = RunLock::acquire(path, std::chrono::milliseconds(0), log, cancel);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind(), util::ErrorKind::transient);
  // The holder is this very process, so of the same user.
  EXPECT_NE(second.error().message().find(fmt::format("(held by pid {} of {})", ::getpid(), describe_uid(::geteuid()))),
            std::string::npos)
    << second.error().message();
  EXPECT_TRUE(log.contains(fmt::format("holder=\"pid {} of", ::getpid()))) << log.text();
}

TEST(FindFlockHolder, MatchesDeviceAndInode) {
  const std::string_view locks =
    "1: OFDLCK ADVISORY  WRITE -1 fe:00:1097972 0 EOF\n"
    "2: FLOCK  ADVISORY  WRITE 7938 fe:00:1097873 0 EOF\n"
    "2: -> FLOCK  ADVISORY  WRITE 8000 fe:01:42 0 EOF\n"
    "3: POSIX  ADVISORY  WRITE 9000 fe:01:42 0 EOF\n"
    "4: FLOCK  ADVISORY  WRITE 7787 fe:01:42 0 EOF\n"
    "5: FLOCK  ADVISORY  WRITE 0 08:10:7 0 EOF\n";
  EXPECT_EQ(find_flock_holder(locks, 0xfe, 0x00, 1097873), 7938);
  EXPECT_EQ(find_flock_holder(locks, 0xfe, 0x01, 42), 7787);               // not the waiter, not the POSIX lock
  EXPECT_EQ(find_flock_holder(locks, 0xfe, 0x00, 1097972), std::nullopt);  // an OFD lock
  EXPECT_EQ(find_flock_holder(locks, 0x08, 0x10, 7), std::nullopt);        // pid not visible
  EXPECT_EQ(find_flock_holder(locks, 0xfe, 0x00, 1), std::nullopt);
  EXPECT_EQ(find_flock_holder("", 0, 0, 0), std::nullopt);
  EXPECT_EQ(find_flock_holder("garbage\n1: FLOCK\n", 0, 0, 0), std::nullopt);
}

TEST(EffectiveUidOfStatus, TheSecondUidField) {
  EXPECT_EQ(effective_uid_of_status("Name:\tsleep\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n"), 0U);
  EXPECT_EQ(effective_uid_of_status("Uid:\t65534\t65534\t65534\t65534\n"), 65534U);
  EXPECT_EQ(effective_uid_of_status("Name:\tx\n"), std::nullopt);
}

TEST(DescribeUid, NameWhenKnown) {
  EXPECT_EQ(describe_uid(0), "uid 0 (root)");
  EXPECT_EQ(describe_uid(4000000000U), "uid 4000000000");
}

}  // namespace
}  // namespace volback::app
