#include <volback/storage/part_schedule.hpp>

#include <gtest/gtest.h>

namespace volback::storage {
namespace {

constexpr std::uint64_t k_tib = 1024 * 1024 * k_mib;
// S3's limits (storage/s3/part_schedule.hpp).
constexpr PartLimits k_s3{5 * k_mib, 5 * 1024 * k_mib, 10'000, 1'000};
// Azure's block blobs: 50,000 blocks of up to 4000 MiB.
constexpr PartLimits k_azure{1, 4000 * k_mib, 50'000, 5'000};

TEST(PartSchedule, DoublesEveryStepUpToTheLargestPart) {
  const PartSchedule s(16 * k_mib, k_s3);
  EXPECT_EQ(s.part_size(1), 16 * k_mib);
  EXPECT_EQ(s.part_size(1000), 16 * k_mib);
  EXPECT_EQ(s.part_size(1001), 32 * k_mib);
  EXPECT_EQ(s.part_size(2001), 64 * k_mib);
  EXPECT_EQ(s.part_size(9001), k_s3.max_part);
  EXPECT_EQ(s.part_size(10000), k_s3.max_part);
}

TEST(PartSchedule, TheS3DefaultCoversTheFiveTiBObjectLimit) {
  const PartSchedule s(16 * k_mib, k_s3);
  EXPECT_GE(s.capacity(), 5 * k_tib);
  // The figure docs/s3.md quotes: 16 MiB·1000·511 + 5 GiB·1000.
  EXPECT_EQ(s.capacity(), (16 * 511 + 5 * 1024) * 1000 * k_mib);
}

TEST(PartSchedule, ClampsTheBase) {
  EXPECT_EQ(PartSchedule(1, k_s3).part_size(1), k_s3.min_part);
  EXPECT_EQ(PartSchedule(100 * 1024 * k_mib, k_s3).part_size(1), k_s3.max_part);
  EXPECT_EQ(PartSchedule(5 * k_mib, k_s3).capacity(), 5 * 1023 * 1000 * k_mib);  // about 4.9 TiB
}

TEST(PartSchedule, AzureBlocksOfEightMiBCoverMoreThanTheBlobLimit) {
  const PartSchedule s(8 * k_mib, k_azure);
  EXPECT_EQ(s.part_size(5000), 8 * k_mib);
  EXPECT_EQ(s.part_size(5001), 16 * k_mib);
  EXPECT_EQ(s.part_size(50000), 4000 * k_mib);
  // 8 MiB·5000·511 + 4000 MiB·5000: about 38.6 TiB.
  EXPECT_EQ(s.capacity(), (8 * 511 + 4000) * 5000 * k_mib);
}

}  // namespace
}  // namespace volback::storage
