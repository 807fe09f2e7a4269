#include <volback/storage/ranged_source.hpp>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace volback::storage {
namespace {

struct Fetched {
  std::string object = "0123456789abcdefghij";
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  RangeFetch fetch() {
    return [this](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
      ranges.emplace_back(first, last);
      return object.substr(first, last - first + 1);
    };
  }
};

std::string read_all(io::Source& source) {
  std::string out;
  std::vector<std::byte> buffer(3);
  for (;;) {
    auto n = source.read(buffer);
    EXPECT_TRUE(n);
    if (!n || *n == 0) {
      return out;
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
}

TEST(RangedSource, ReadsTheRangeInChunks) {
  Fetched f;
  auto source = make_ranged_source(f.object.size(), {.offset = 2, .length = 11}, f.fetch(), 5);
  EXPECT_EQ(read_all(*source), "23456789abc");
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> expected{{2, 6}, {7, 11}, {12, 12}};
  EXPECT_EQ(f.ranges, expected);
}

TEST(RangedSource, ARangePastTheEndEndsAtTheEnd) {
  Fetched f;
  EXPECT_EQ(read_all(*make_ranged_source(f.object.size(), {.offset = 15, .length = 100}, f.fetch(), 8)), "fghij");
  EXPECT_EQ(read_all(*make_ranged_source(f.object.size(), {.offset = 40, .length = 1}, f.fetch(), 8)), "");
  EXPECT_EQ(read_all(*make_ranged_source(0, {}, f.fetch(), 8)), "");
  EXPECT_EQ(f.ranges.size(), 1u);
}

TEST(RangedSource, AShortAnswerIsTransient) {
  auto source = make_ranged_source(
    10, {}, [](std::uint64_t, std::uint64_t) -> util::Result<std::string> { return std::string("abc"); });
  std::vector<std::byte> buffer(16);
  auto n = source->read(buffer);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().kind(), util::ErrorKind::transient);
}

// A thread-safe object whose fetches record how many are in flight at once, and fail
// the ranges listed in `failing`.
struct ConcurrentObject {
  std::string object;
  std::set<std::uint64_t> failing;
  std::mutex mutex;
  int in_flight = 0;
  int most_in_flight = 0;
  int factories = 0;
  RangeFetchFactory factory() {
    return [this] {
      const std::lock_guard lock(mutex);
      ++factories;
      return RangeFetch([this](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
        {
          const std::lock_guard lock(mutex);
          most_in_flight = std::max(most_in_flight, ++in_flight);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        const std::lock_guard lock(mutex);
        --in_flight;
        if (failing.contains(first)) {
          return util::fail(util::ErrorKind::transient, "range failed");
        }
        return object.substr(first, last - first + 1);
      });
    };
  }
};

std::string read_ahead_object() {
  std::string object(1000, '\0');
  for (std::size_t i = 0; i < object.size(); ++i) {
    object[i] = static_cast<char>('a' + i % 26);
  }
  return object;
}

TEST(ReadAheadSource, ReadsInOrderWithRangesInFlight) {
  ConcurrentObject remote;
  remote.object = read_ahead_object();
  auto source = make_ranged_source(remote.object.size(), {}, remote.factory(), ReadAhead{7, 4});
  EXPECT_EQ(read_all(*source), remote.object);
  EXPECT_LE(remote.most_in_flight, 4);
  EXPECT_GE(remote.most_in_flight, 2);
  EXPECT_EQ(remote.factories, 4);  // one connection per worker
}

TEST(ReadAheadSource, ASubRangeAndAnEmptyOne) {
  ConcurrentObject remote;
  remote.object = read_ahead_object();
  auto part = make_ranged_source(remote.object.size(), ByteRange{100, 333}, remote.factory(), ReadAhead{50, 3});
  EXPECT_EQ(read_all(*part), remote.object.substr(100, 333));
  auto none =
    make_ranged_source(remote.object.size(), ByteRange{1000, std::nullopt}, remote.factory(), ReadAhead{50, 3});
  EXPECT_EQ(read_all(*none), "");
}

TEST(ReadAheadSource, AFailedRangeFailsTheReadWhenReached) {
  ConcurrentObject remote;
  remote.object = read_ahead_object();
  remote.failing = {500};
  auto source = make_ranged_source(remote.object.size(), {}, remote.factory(), ReadAhead{100, 3});
  std::vector<std::byte> buffer(100);
  for (int i = 0; i < 5; ++i) {
    auto n = source->read(buffer);
    ASSERT_TRUE(n) << i;
    EXPECT_EQ(*n, 100u);
  }
  auto failed = source->read(buffer);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind(), util::ErrorKind::transient);
}

TEST(ReadAheadSource, StopsItsWorkersWhenDroppedHalfRead) {
  ConcurrentObject remote;
  remote.object = read_ahead_object();
  auto source = make_ranged_source(remote.object.size(), {}, remote.factory(), ReadAhead{10, 4});
  std::vector<std::byte> buffer(15);
  ASSERT_TRUE(source->read(buffer));
  source.reset();  // joins the workers without reading the rest
  SUCCEED();
}

TEST(ReadAheadSource, PlannedWithinTheMemoryPlan) {
  util::MemoryPlan roomy;
  roomy.part_buffer_bytes = 15 << 20;
  EXPECT_EQ(planned_read_ahead(roomy).ranges, 3u);
  EXPECT_EQ(planned_read_ahead(roomy).chunk, 4u << 20);
  util::MemoryPlan tight;
  tight.part_buffer_bytes = 5 << 20;
  EXPECT_EQ(planned_read_ahead(tight).ranges, 1u);
}

}  // namespace
}  // namespace volback::storage
