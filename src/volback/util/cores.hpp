#pragma once
// How many CPU cores this process may really use.

namespace volback::util {

// The number of CPUs in the affinity mask, further capped by the cgroup CPU limit
// (cgroup v2 cpu.max, or v1 cpu.cfs_quota_us / cpu.cfs_period_us), rounded up, at least 1.
unsigned usable_cores();

}  // namespace volback::util
