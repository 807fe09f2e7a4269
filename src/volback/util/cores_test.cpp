#include <volback/util/cores.hpp>
#include <volback/util/cores_detail.hpp>

#include <gtest/gtest.h>

namespace volback::util::detail {
namespace {

CgroupCpuFiles v2(std::string cpu_max) {
  CgroupCpuFiles files;
  files.cpu_max = std::move(cpu_max);
  return files;
}

CgroupCpuFiles v1(std::string quota, std::string period) {
  CgroupCpuFiles files;
  files.cfs_quota_us = std::move(quota);
  files.cfs_period_us = std::move(period);
  return files;
}

TEST(CgroupCpuLimitTest, V2) {
  EXPECT_EQ(cgroup_cpu_limit(v2("max 100000\n")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v2("max")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v2("200000 100000\n")), 2U);
  EXPECT_EQ(cgroup_cpu_limit(v2("150000 100000")), 2U);  // 1.5 cores round up
  EXPECT_EQ(cgroup_cpu_limit(v2("50000 100000")), 1U);
  EXPECT_EQ(cgroup_cpu_limit(v2("100001 100000")), 2U);
  EXPECT_EQ(cgroup_cpu_limit(v2("400000 100000")), 4U);
  EXPECT_EQ(cgroup_cpu_limit(v2("300000")), 3U);  // the period defaults to 100000
  EXPECT_EQ(cgroup_cpu_limit(v2("")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v2("garbage 100000")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v2("100000 0")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v2("100000 x")), std::nullopt);
}

TEST(CgroupCpuLimitTest, V1) {
  EXPECT_EQ(cgroup_cpu_limit(v1("-1\n", "100000\n")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v1("250000\n", "100000\n")), 3U);
  EXPECT_EQ(cgroup_cpu_limit(v1("100000", "100000")), 1U);
  EXPECT_EQ(cgroup_cpu_limit(v1("100000", "")), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v1("abc", "100000")), std::nullopt);
  CgroupCpuFiles quota_only;
  quota_only.cfs_quota_us = "100000";
  EXPECT_EQ(cgroup_cpu_limit(quota_only), std::nullopt);
}

TEST(CgroupCpuLimitTest, V2WinsOverV1) {
  CgroupCpuFiles files = v1("100000", "100000");
  files.cpu_max = "max 100000";
  EXPECT_EQ(cgroup_cpu_limit(files), std::nullopt);
  files.cpu_max = "300000 100000";
  EXPECT_EQ(cgroup_cpu_limit(files), 3U);
}

TEST(CoresFromLimitsTest, TakesTheSmallerAndAtLeastOne) {
  EXPECT_EQ(cores_from_limits(8, {}), 8U);
  EXPECT_EQ(cores_from_limits(8, v2("max 100000")), 8U);
  EXPECT_EQ(cores_from_limits(8, v2("200000 100000")), 2U);
  EXPECT_EQ(cores_from_limits(2, v2("800000 100000")), 2U);
  EXPECT_EQ(cores_from_limits(8, v2("150000 100000")), 2U);
  EXPECT_EQ(cores_from_limits(8, v1("50000", "100000")), 1U);
  EXPECT_EQ(cores_from_limits(8, v1("-1", "100000")), 8U);
  EXPECT_EQ(cores_from_limits(0, {}), 1U);
  EXPECT_EQ(cores_from_limits(0, v2("300000 100000")), 3U);
  EXPECT_EQ(cores_from_limits(1, {}), 1U);
}

TEST(UsableCoresTest, IsAtLeastOne) {
  EXPECT_GE(usable_cores(), 1U);
}

}  // namespace
}  // namespace volback::util::detail
