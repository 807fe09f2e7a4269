#include <volback/storage/part_pool.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>

namespace volback::storage {
namespace {

using namespace std::chrono_literals;

// Acquiring `cost` waits while the pool holds `held`, and goes on once that is released.
void expect_acquire_waits_for(PartPool<int>& pool, PartCost cost, PartCost held) {
  auto waiting = std::async(std::launch::async, [&] { return pool.acquire(cost); });
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout);
  pool.release(held);
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(waiting.get());
}

TEST(PartPool, EveryWorkerUploadsWithTheFunctionItsFactoryMade) {
  PartPool<int> pool(PartBudget{100, 0});
  std::mutex mutex;
  std::set<int> uploaded;
  std::atomic<int> factories = 0;
  pool.start(3, [&] {
    ++factories;
    return [&](int& part) -> util::Result<void> {
      std::lock_guard lock(mutex);
      uploaded.insert(part);
      return {};
    };
  });
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.acquire(PartCost{10, 0}));
    pool.submit(i, PartCost{10, 0});
  }
  ASSERT_TRUE(pool.wait_idle());
  pool.stop();
  EXPECT_EQ(factories, 3);
  EXPECT_EQ(uploaded.size(), 20U);
}

TEST(PartPool, AcquireWaitsUntilTheBytesFit) {
  PartPool<int> pool(PartBudget{100, 0});
  ASSERT_TRUE(pool.acquire(PartCost{60, 0}));
  expect_acquire_waits_for(pool, PartCost{60, 0}, PartCost{60, 0});
}

TEST(PartPool, APartLargerThanTheBudgetIsAdmittedAlone) {
  PartPool<int> pool(PartBudget{100, 0});
  EXPECT_TRUE(pool.acquire(PartCost{500, 0}));
}

TEST(PartPool, SpillFilesHaveTheirOwnLimit) {
  PartPool<int> pool(PartBudget{10, 1});
  ASSERT_TRUE(pool.acquire(PartCost{10, 0}));
  ASSERT_TRUE(pool.acquire(PartCost{0, 1}));  // the bytes are full, the spill is not
  expect_acquire_waits_for(pool, PartCost{0, 1}, PartCost{0, 1});
}

TEST(PartPool, AnUploadedPartGivesBackItsCost) {
  PartPool<int> pool(PartBudget{10, 0});
  pool.start(1, [] { return [](int&) -> util::Result<void> { return {}; }; });
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(pool.acquire(PartCost{10, 0}));  // waits for the previous part's upload
    pool.submit(i, PartCost{10, 0});
  }
  EXPECT_TRUE(pool.wait_idle());
}

TEST(PartPool, TheFirstErrorStopsThePoolAndEveryLaterCallReturnsIt) {
  PartPool<int> pool(PartBudget{10, 0});
  pool.start(2, [] {
    return [](int& part) -> util::Result<void> {
      if (part == 1) {
        return util::fail(util::ErrorKind::transient, "part 1 failed");
      }
      return {};
    };
  });
  ASSERT_TRUE(pool.acquire(PartCost{10, 0}));
  pool.submit(1, PartCost{10, 0});
  auto idle = pool.wait_idle();
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().message(), "part 1 failed");
  EXPECT_FALSE(pool.check());
  auto blocked = pool.acquire(PartCost{10, 0});
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().kind(), util::ErrorKind::transient);
}

TEST(PartPool, StopRaisesTheFlagAndDropsQueuedParts) {
  PartPool<int> pool(PartBudget{100, 0});
  std::promise<void> started;
  std::atomic<int> uploads = 0;
  const std::atomic<bool>* flag = pool.stop_flag();
  pool.start(1, [&] {
    return [&](int&) -> util::Result<void> {
      if (uploads++ == 0) {
        started.set_value();
        while (!flag->load()) {
          std::this_thread::sleep_for(1ms);
        }
      }
      return {};
    };
  });
  pool.submit(0, PartCost{});
  started.get_future().wait();
  pool.submit(1, PartCost{});
  pool.submit(2, PartCost{});
  pool.stop();
  EXPECT_EQ(uploads, 1);
}

}  // namespace
}  // namespace volback::storage
