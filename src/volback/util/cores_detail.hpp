#pragma once
// The pure part of usable_cores(): turning the affinity count and the raw text of the
// cgroup CPU limit files into a core count. Internal to util; exposed for unit tests.

#include <optional>
#include <string>
#include <string_view>

namespace volback::util::detail {

// The raw contents of the cgroup CPU limit files; nullopt for a file that does not exist
// or cannot be read.
struct CgroupCpuFiles {
  std::optional<std::string> cpu_max;        // v2 cpu.max: "max 100000" or "200000 100000"
  std::optional<std::string> cfs_quota_us;   // v1 cpu.cfs_quota_us: "-1" or "150000"
  std::optional<std::string> cfs_period_us;  // v1 cpu.cfs_period_us: "100000"
};

// The CPU limit as a whole number of cores, ceil(quota / period), or nullopt when there is
// none ("max", quota -1) or the text is malformed. cpu.max wins when it exists; the v1
// files are only consulted without it. Pure.
std::optional<unsigned> cgroup_cpu_limit(const CgroupCpuFiles& files);

// min(affinity, cgroup limit), at least 1. `affinity` 0 (unknown) counts as no limit from
// that side. Pure.
unsigned cores_from_limits(unsigned affinity, const CgroupCpuFiles& files);

}  // namespace volback::util::detail
