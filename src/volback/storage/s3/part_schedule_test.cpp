#include <volback/storage/s3/part_schedule.hpp>

#include <gtest/gtest.h>

namespace volback::storage::s3 {
namespace {

constexpr std::uint64_t k_tib = 1024 * 1024 * k_mib;

TEST(PartSchedule, DoublesEveryThousandPartsUpToFiveGiB) {
  const PartSchedule s(16 * k_mib);
  EXPECT_EQ(s.part_size(1), 16 * k_mib);
  EXPECT_EQ(s.part_size(1000), 16 * k_mib);
  EXPECT_EQ(s.part_size(1001), 32 * k_mib);
  EXPECT_EQ(s.part_size(2001), 64 * k_mib);
  EXPECT_EQ(s.part_size(9001), k_max_part_size);
  EXPECT_EQ(s.part_size(10000), k_max_part_size);
}

TEST(PartSchedule, DefaultCoversTheFiveTiBObjectLimit) {
  const PartSchedule s(16 * k_mib);
  EXPECT_GE(s.capacity(), 5 * k_tib);
  // The figure docs/s3.md quotes: 16 MiB·1000·511 + 5 GiB·1000.
  EXPECT_EQ(s.capacity(), (16 * 511 + 5 * 1024) * 1000 * k_mib);
}

TEST(PartSchedule, ClampsTheBase) {
  EXPECT_EQ(PartSchedule(1).part_size(1), k_min_part_size);
  EXPECT_EQ(PartSchedule(100 * 1024 * k_mib).part_size(1), k_max_part_size);
  EXPECT_EQ(PartSchedule(5 * k_mib).capacity(), 5 * 1023 * 1000 * k_mib);  // about 4.9 TiB
}

}  // namespace
}  // namespace volback::storage::s3
