#include <volback/storage/ranged_source.hpp>

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

}  // namespace
}  // namespace volback::storage
