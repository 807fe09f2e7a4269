#include <volback/util/memory_limit.hpp>

#include <gtest/gtest.h>

namespace volback::util::detail {
namespace {

TEST(MemoryLimitTest, ParsesBytesAndKnowsNoLimit) {
  EXPECT_EQ(parse_memory_limit("26214400\n"), 26214400U);
  EXPECT_EQ(parse_memory_limit("max\n"), std::nullopt);
  EXPECT_EQ(parse_memory_limit("9223372036854771712\n"), std::nullopt);  // v1's "none"
  EXPECT_EQ(parse_memory_limit("0"), std::nullopt);
  EXPECT_EQ(parse_memory_limit("-1"), std::nullopt);
  EXPECT_EQ(parse_memory_limit(""), std::nullopt);
  EXPECT_EQ(parse_memory_limit("12 MiB"), std::nullopt);
  EXPECT_EQ(parse_memory_limit("99999999999999999999999"), std::nullopt);
}

TEST(MemoryLimitTest, FindsTheV2AndV1MemoryPaths) {
  const auto hybrid = parse_proc_cgroup(
    "12:pids:/docker/abc\n4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/system.slice/docker.service\n");
  EXPECT_EQ(hybrid.v1_memory, "/docker/abc");
  EXPECT_EQ(hybrid.v2, "/system.slice/docker.service");

  const auto v2 = parse_proc_cgroup("0::/\n");
  EXPECT_EQ(v2.v2, "/");
  EXPECT_EQ(v2.v1_memory, "");

  const auto joined = parse_proc_cgroup("5:cpu,memory,blkio:/x");
  EXPECT_EQ(joined.v1_memory, "/x");

  const auto garbage = parse_proc_cgroup("nonsense\n\n::\n1:memoryless:/y\n");
  EXPECT_EQ(garbage.v1_memory, "");
  EXPECT_EQ(garbage.v2, "");
}

TEST(MemoryLimitTest, ReadsTheHierarchicalLimitFromMemoryStat) {
  const std::string stat = "cache 0\nrss 1\nhierarchical_memory_limit 26214400\nhierarchical_memsw_limit 1\n";
  EXPECT_EQ(memory_stat_value(stat, "hierarchical_memory_limit"), 26214400U);
  EXPECT_EQ(memory_stat_value("hierarchical_memory_limit 9223372036854771712\n", "hierarchical_memory_limit"),
            std::nullopt);
  EXPECT_EQ(memory_stat_value("hierarchical_memory_limit_x 5\n", "hierarchical_memory_limit"), std::nullopt);
  EXPECT_EQ(memory_stat_value("", "hierarchical_memory_limit"), std::nullopt);
}

}  // namespace
}  // namespace volback::util::detail
