#include <volback/fs/zero_runs.hpp>

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace volback::fs {
namespace {

using Runs = std::vector<std::pair<std::uint64_t, std::size_t>>;

Runs runs_of(std::uint64_t offset, const std::vector<std::byte>& data, std::uint64_t granule) {
  Runs runs;
  EXPECT_TRUE(for_each_data_run(
    offset, data,
    [&](std::uint64_t at, std::span<const std::byte> bytes) {
      runs.emplace_back(at, bytes.size());
      return true;
    },
    granule));
  return runs;
}

TEST(ZeroRuns, DataWithoutZeroGranulesIsOneRun) {
  std::vector<std::byte> data(40, std::byte{1});
  EXPECT_EQ(runs_of(0, data, 8), (Runs{{0, 40}}));
}

TEST(ZeroRuns, AlignedZeroGranulesAreSkipped) {
  std::vector<std::byte> data(40, std::byte{1});
  std::fill(data.begin() + 8, data.begin() + 24, std::byte{0});  // granules 1 and 2
  EXPECT_EQ(runs_of(0, data, 8), (Runs{{0, 8}, {24, 16}}));
}

TEST(ZeroRuns, AllZeroBlockWritesNothing) {
  std::vector<std::byte> data(32, std::byte{0});
  EXPECT_TRUE(runs_of(64, data, 8).empty());
}

TEST(ZeroRuns, UnalignedZerosAndCutGranulesAreWritten) {
  // File offsets 4..41: 4..7 lie in a granule cut by the start, 40..41 in one cut by the end.
  std::vector<std::byte> data(38, std::byte{0});
  data[10] = std::byte{1};  // file offset 14: granule 8..15 holds data
  EXPECT_EQ(runs_of(4, data, 8), (Runs{{4, 12}, {40, 2}}));
}

TEST(ZeroRuns, HalfZeroGranulesStayData) {
  std::vector<std::byte> data(16, std::byte{0});
  data[7] = std::byte{1};
  data[15] = std::byte{1};
  EXPECT_EQ(runs_of(0, data, 8), (Runs{{0, 16}}));
}

TEST(ZeroRuns, StopsAtAFailedWrite) {
  std::vector<std::byte> data(24, std::byte{1});
  std::fill(data.begin() + 8, data.begin() + 16, std::byte{0});
  int calls = 0;
  EXPECT_FALSE(for_each_data_run(
    0, data,
    [&](std::uint64_t, std::span<const std::byte>) {
      ++calls;
      return false;
    },
    8));
  EXPECT_EQ(calls, 1);
}

TEST(ZeroRuns, AllZeroChecksEveryByte) {
  std::vector<std::byte> data(200, std::byte{0});
  EXPECT_TRUE(all_zero(data));
  data[199] = std::byte{2};
  EXPECT_FALSE(all_zero(data));
  data[199] = std::byte{0};
  data[3] = std::byte{2};
  EXPECT_FALSE(all_zero(data));
  EXPECT_TRUE(all_zero({}));
}

}  // namespace
}  // namespace volback::fs
