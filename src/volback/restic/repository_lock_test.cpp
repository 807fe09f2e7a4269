#include <volback/restic/repository_lock.hpp>

#include <unistd.h>

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

using namespace std::chrono_literals;

const KeyFileInfo k_lock_info{.created = "2026-12-02T12:00:00Z", .username = "root", .hostname = "h"};
const util::TimePoint k_lock_now = util::TimePoint(std::chrono::seconds(1'795'000'000));

class ResticRepositoryLock : public ::testing::Test {
 protected:
  volback::testing::TempDir m_dir{"restic-lock"};
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend = storage::local::make_local_backend({m_dir.path(), std::nullopt}, m_log);
  Repository m_repository = Repository::init(*m_backend, "secret", k_lock_info).value();
  util::FixedClock m_clock{k_lock_now};
  util::CancelToken m_cancel;
  std::vector<std::chrono::milliseconds> m_sleeps;
  std::function<void()> m_on_sleep;

  LockOptions options(bool exclusive, std::chrono::milliseconds wait = 0ms) {
    return {.exclusive = exclusive,
            .wait = wait,
            .refresh_interval = 0ms,
            .clock = &m_clock,
            .sleep =
              [this](std::chrono::milliseconds d) {
                m_sleeps.push_back(d);
                m_clock.set(m_clock.now() + d);
                if (m_on_sleep) {
                  m_on_sleep();
                }
              },
            .owner = LockOwner{.hostname = "volback-host", .username = "u", .pid = 4242, .uid = 1000, .gid = 100}};
  }

  Id foreign_lock(bool exclusive, util::TimePoint time = k_lock_now, std::string hostname = "restic-host",
                  std::int64_t pid = 23683) {
    const Lock lock{.time = go_time_of(time),
                    .exclusive = exclusive,
                    .hostname = std::move(hostname),
                    .username = "root",
                    .pid = pid};
    return m_repository.save_unpacked(FileType::lock, serialize_lock(lock)).value();
  }

  std::vector<Id> lock_ids() {
    std::vector<Id> ids;
    const auto listed = m_repository.list(FileType::lock).value();
    for (const auto& file : listed) {
      ids.push_back(file.id);
    }
    return ids;
  }

  void store_raw_lock(std::string_view bytes) {
    auto sink = m_backend->begin_upload(file_key(FileType::lock, Id::of(bytes)), {.size = bytes.size()}).value();
    ASSERT_TRUE(sink->write(std::as_bytes(std::span(bytes.data(), bytes.size()))));
    ASSERT_TRUE(sink->finish());
  }
};

TEST_F(ResticRepositoryLock, SharedLocksCoexistExclusiveConflictsBothWays) {
  const Id shared = foreign_lock(false);
  {
    auto ours = RepositoryLock::acquire(m_repository, options(false), m_cancel);
    ASSERT_TRUE(ours) << ours.error().message();
    EXPECT_EQ(lock_ids().size(), 2U);
  }
  const auto exclusive = RepositoryLock::acquire(m_repository, options(true), m_cancel);
  ASSERT_FALSE(exclusive);
  EXPECT_EQ(exclusive.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(exclusive.error().message(),
            "repository is already locked by PID 23683 on restic-host by root (UID 0, GID 0), lock created at "
            "2026-11-18T11:06:40Z, storage ID " +
              shared.hex().substr(0, 8));
  EXPECT_EQ(lock_ids(), std::vector<Id>{shared});

  ASSERT_TRUE(m_repository.remove(FileType::lock, shared));
  foreign_lock(true);
  for (const bool exclusive_wanted : {false, true}) {
    const auto blocked = RepositoryLock::acquire(m_repository, options(exclusive_wanted), m_cancel);
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().kind(), util::ErrorKind::transient);
    EXPECT_NE(blocked.error().message().find("already locked exclusively by PID 23683"), std::string::npos);
  }
  EXPECT_EQ(lock_ids().size(), 1U);
  EXPECT_EQ(m_sleeps, std::vector<std::chrono::milliseconds>{200ms});  // the recheck pause; wait 0: no retries
}

TEST_F(ResticRepositoryLock, LockFileHoldsOwnerAndDisappearsOnRelease) {
  auto lock = RepositoryLock::acquire(m_repository, options(true), m_cancel);
  ASSERT_TRUE(lock) << lock.error().message();
  ASSERT_EQ(lock_ids(), std::vector<Id>{lock->id()});
  const Lock stored = parse_lock(m_repository.load_unpacked(FileType::lock, lock->id()).value()).value();
  EXPECT_EQ(stored, (Lock{.time = go_time_of(k_lock_now),
                          .exclusive = true,
                          .hostname = "volback-host",
                          .username = "u",
                          .pid = 4242,
                          .uid = 1000,
                          .gid = 100}));
  ASSERT_TRUE(lock->release());
  EXPECT_TRUE(lock_ids().empty());
  EXPECT_TRUE(lock->release());  // idempotent

  {
    auto scoped = RepositoryLock::acquire(m_repository, options(false), m_cancel);
    ASSERT_TRUE(scoped);
    EXPECT_EQ(lock_ids().size(), 1U);
  }
  EXPECT_TRUE(lock_ids().empty());
}

TEST_F(ResticRepositoryLock, RefreshWritesAFreshFileAndRemovesTheOld) {
  auto lock = RepositoryLock::acquire(m_repository, options(false), m_cancel).value();
  const Id first = lock.id();
  m_clock.set(k_lock_now + 5min);
  ASSERT_TRUE(lock.refresh());
  EXPECT_NE(lock.id(), first);
  ASSERT_EQ(lock_ids(), std::vector<Id>{lock.id()});
  const Lock stored = parse_lock(m_repository.load_unpacked(FileType::lock, lock.id()).value()).value();
  EXPECT_EQ(stored.time, go_time_of(k_lock_now + 5min));
  EXPECT_FALSE(lock.refresh_error());
}

TEST_F(ResticRepositoryLock, RefreshThreadReplacesTheLockUntilReleased) {
  auto opts = options(true);
  opts.clock = nullptr;  // the refresh thread reads the clock: the system clock is thread-safe
  opts.refresh_interval = 20ms;
  auto lock = RepositoryLock::acquire(m_repository, opts, m_cancel).value();
  const Id first = lock.id();
  for (int i = 0; i < 200 && lock.id() == first; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(lock.id(), first);
  ASSERT_TRUE(lock.release());
  EXPECT_TRUE(lock_ids().empty());
  EXPECT_FALSE(lock.refresh_error());
}

TEST_F(ResticRepositoryLock, WaitsUntilTheOtherLockIsRemoved) {
  const Id other = foreign_lock(true);
  int retries = 0;
  m_on_sleep = [&] {
    if (++retries == 3) {
      ASSERT_TRUE(m_repository.remove(FileType::lock, other));
    }
  };
  auto lock = RepositoryLock::acquire(m_repository, options(true, 60s), m_cancel);
  ASSERT_TRUE(lock) << lock.error().message();
  // Three retries of 5 s, then the 200 ms pause before the second look.
  EXPECT_EQ(m_sleeps, (std::vector<std::chrono::milliseconds>{5s, 5s, 5s, 200ms}));
  EXPECT_EQ(lock_ids(), std::vector<Id>{lock->id()});
}

TEST_F(ResticRepositoryLock, GivesUpWhenTheWaitRunsOut) {
  foreign_lock(true);
  const auto lock = RepositoryLock::acquire(m_repository, options(false, 12s), m_cancel);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(m_sleeps, (std::vector<std::chrono::milliseconds>{5s, 5s, 2s}));
  EXPECT_EQ(lock_ids().size(), 1U);
}

TEST_F(ResticRepositoryLock, CancelledWhileWaiting) {
  foreign_lock(true);
  m_on_sleep = [&] { m_cancel.request(); };
  const auto lock = RepositoryLock::acquire(m_repository, options(false, 60s), m_cancel);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), util::ErrorKind::cancelled);
  EXPECT_EQ(m_sleeps.size(), 1U);
}

TEST_F(ResticRepositoryLock, CancelledDuringTheRecheckLeavesNoLock) {
  m_on_sleep = [&] { m_cancel.request(); };
  const auto lock = RepositoryLock::acquire(m_repository, options(false), m_cancel);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), util::ErrorKind::cancelled);
  EXPECT_TRUE(lock_ids().empty());
}

TEST_F(ResticRepositoryLock, ConflictAppearingDuringTheRecheckRemovesOurs) {
  Id other;
  m_on_sleep = [&] {
    if (m_sleeps.size() == 1) {
      other = foreign_lock(true);
    }
  };
  const auto lock = RepositoryLock::acquire(m_repository, options(false), m_cancel);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), util::ErrorKind::transient);
  EXPECT_NE(lock.error().message().find("locked exclusively"), std::string::npos);
  EXPECT_EQ(lock_ids(), std::vector<Id>{other});
}

TEST_F(ResticRepositoryLock, UnreadableLockCountsAsAConflict) {
  store_raw_lock("not a sealed lock file");
  for (const bool exclusive : {false, true}) {
    const auto lock = RepositoryLock::acquire(m_repository, options(exclusive), m_cancel);
    ASSERT_FALSE(lock);
    EXPECT_EQ(lock.error().kind(), util::ErrorKind::transient);
    EXPECT_NE(lock.error().message().find("a lock that cannot be read"), std::string::npos) << lock.error().message();
  }
  EXPECT_EQ(lock_ids().size(), 1U);
  // Not a stale lock: unlock keeps it; --remove-all removes it.
  EXPECT_EQ(remove_stale_locks(m_repository, m_clock, "volback-host").value(), 0U);
  EXPECT_EQ(remove_stale_locks(m_repository, m_clock, "volback-host", process_is_alive, true).value(), 1U);
  EXPECT_TRUE(lock_ids().empty());
}

bool only_pid_one_lives(std::int64_t pid) {
  return pid == 1;
}

TEST_F(ResticRepositoryLock, RemoveStaleLocksAsResticUnlock) {
  const Id old = foreign_lock(false, k_lock_now - 31min, "elsewhere", 1);
  const Id dead_here = foreign_lock(false, k_lock_now, "here", 7);
  const Id dead_elsewhere = foreign_lock(true, k_lock_now, "elsewhere", 8);
  const Id alive_here = foreign_lock(false, k_lock_now - 29min, "here", 1);
  EXPECT_EQ(remove_stale_locks(m_repository, m_clock, "here", only_pid_one_lives).value(), 2U);
  auto left = lock_ids();
  std::sort(left.begin(), left.end());
  std::vector<Id> expected{dead_elsewhere, alive_here};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected);
  (void)old;
  (void)dead_here;
}

TEST(ResticLockOwner, ThisProcessAndLiveness) {
  const LockOwner owner = this_process();
  EXPECT_EQ(owner.pid, ::getpid());
  EXPECT_FALSE(owner.hostname.empty());
  EXPECT_TRUE(process_is_alive(owner.pid));
  EXPECT_FALSE(process_is_alive(0));
  EXPECT_FALSE(process_is_alive(std::int64_t{1} << 40));
}

}  // namespace
}  // namespace volback::restic
