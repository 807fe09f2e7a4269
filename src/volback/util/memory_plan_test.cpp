#include <volback/util/memory_plan.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

constexpr std::uint64_t k_mib = std::uint64_t{1} << 20;

TEST(MemoryPlanTest, WithoutALimitEveryCoreCompressesAndTheRestOf64MiBGoesToParts) {
  const auto plan = plan_memory(std::nullopt, 2);
  EXPECT_EQ(plan.compression_threads, 2U);
  EXPECT_EQ(plan.part_buffer_bytes, 15 * k_mib);
  EXPECT_EQ(plan.part_size_bytes, 5 * k_mib);
  EXPECT_TRUE(plan.hash_thread);
  EXPECT_EQ(plan.zstd_job_bytes, 0U);
  EXPECT_EQ(describe(plan), "no memory limit: 2 compression threads, 15 MiB of part buffers, 5 MiB parts");

  EXPECT_EQ(plan_memory(std::nullopt, 4).part_buffer_bytes, 15 * k_mib);
  EXPECT_EQ(plan_memory(std::nullopt, 6).part_buffer_bytes, 6 * k_mib);
  EXPECT_EQ(plan_memory(std::nullopt, 64).compression_threads, 64U);
  EXPECT_EQ(plan_memory(std::nullopt, 64).part_buffer_bytes, 5 * k_mib);
}

TEST(MemoryPlanTest, OffensTwentyFiveMiBGetOneWorkerAndSmallParts) {
  const auto plan = plan_memory(25 * k_mib, 2);
  EXPECT_EQ(plan.compression_threads, 1U);
  EXPECT_EQ(plan.part_buffer_bytes, 8 * k_mib);
  EXPECT_EQ(plan.part_size_bytes, 5 * k_mib);
  EXPECT_FALSE(plan.hash_thread);
  EXPECT_EQ(describe(plan),
            "cgroup limit 25 MiB: 1 compression thread, 8 MiB of part buffers, 5 MiB parts, manifest hashed inline, "
            "512 KiB zstd jobs");
}

TEST(MemoryPlanTest, MoreMemoryBuysWorkersFirstThenPartBuffers) {
  const auto plan48 = plan_memory(48 * k_mib, 2);
  EXPECT_EQ(plan48.compression_threads, 2U);
  EXPECT_EQ(plan48.part_buffer_bytes, 15 * k_mib);
  EXPECT_EQ(plan48.part_size_bytes, 5 * k_mib);
  EXPECT_FALSE(plan48.hash_thread);

  const auto plan32 = plan_memory(32 * k_mib, 8);
  EXPECT_EQ(plan32.compression_threads, 3U);  // 12 + 5 + 5, then two more workers
  EXPECT_EQ(plan32.part_buffer_bytes, 5 * k_mib);

  EXPECT_TRUE(plan_memory(64 * k_mib, 2).hash_thread);
  EXPECT_EQ(plan_memory(64 * k_mib, 2).zstd_job_bytes, 0U);
  EXPECT_EQ(plan48.zstd_job_bytes, 512U * 1024);
}

TEST(MemoryPlanTest, ALimitTooSmallForAnythingStillGetsTheSmallestPlan) {
  for (const std::uint64_t limit : {std::uint64_t{1}, 4 * k_mib, 12 * k_mib, 20 * k_mib}) {
    const auto plan = plan_memory(limit, 16);
    EXPECT_EQ(plan.compression_threads, 1U);
    EXPECT_EQ(plan.part_buffer_bytes, 5 * k_mib);
    EXPECT_EQ(plan.part_size_bytes, 5 * k_mib);
  }
  EXPECT_EQ(plan_memory(std::nullopt, 0).compression_threads, 1U);
}

}  // namespace
}  // namespace volback::util
