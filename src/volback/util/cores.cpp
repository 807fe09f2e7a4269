#include <volback/util/cgroup_files.hpp>
#include <volback/util/cores.hpp>
#include <volback/util/cores_detail.hpp>

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <thread>
#include <volback/util/trim.hpp>

namespace volback::util {

namespace detail {

namespace {

using cgroup::parse_int;

std::optional<unsigned> cores_from_quota(std::int64_t quota, std::int64_t period) {
  if (quota <= 0 || period <= 0) {
    return std::nullopt;
  }
  const std::int64_t cores = quota / period + (quota % period != 0 ? 1 : 0);
  return static_cast<unsigned>(std::min<std::int64_t>(cores, std::numeric_limits<unsigned>::max()));
}

}  // namespace

std::optional<unsigned> cgroup_cpu_limit(const CgroupCpuFiles& files) {
  if (files.cpu_max) {
    const std::string_view text = trim(*files.cpu_max);
    const auto space = text.find(' ');
    const std::string_view quota = text.substr(0, space);
    if (quota == "max") {
      return std::nullopt;
    }
    // The period is optional in what the kernel accepts; it defaults to 100000.
    std::int64_t period = 100'000;
    if (space != std::string_view::npos) {
      const auto parsed_period = parse_int(trim(text.substr(space + 1)));
      if (!parsed_period) {
        return std::nullopt;
      }
      period = *parsed_period;
    }
    const auto parsed_quota = parse_int(quota);
    if (!parsed_quota) {
      return std::nullopt;
    }
    return cores_from_quota(*parsed_quota, period);
  }
  if (files.cfs_quota_us && files.cfs_period_us) {
    const auto quota = parse_int(trim(*files.cfs_quota_us));
    const auto period = parse_int(trim(*files.cfs_period_us));
    if (!quota || !period) {
      return std::nullopt;
    }
    return cores_from_quota(*quota, *period);
  }
  return std::nullopt;
}

unsigned cores_from_limits(unsigned affinity, const CgroupCpuFiles& files) {
  unsigned cores = affinity == 0 ? std::numeric_limits<unsigned>::max() : affinity;
  if (const auto limit = cgroup_cpu_limit(files)) {
    cores = std::min(cores, *limit);
  }
  if (cores == std::numeric_limits<unsigned>::max()) {
    // Neither side knows anything.
    return 1;
  }
  return std::max(cores, 1U);
}

}  // namespace detail

namespace {

// The number of CPUs this thread may run on. The mask grows until the kernel accepts its
// size, so machines with more than CPU_SETSIZE CPUs are counted too.
unsigned affinity_cores() {
  for (int cpus = CPU_SETSIZE; cpus <= (1 << 20); cpus *= 2) {
    cpu_set_t* set = CPU_ALLOC(cpus);
    if (set == nullptr) {
      break;
    }
    const std::size_t size = CPU_ALLOC_SIZE(cpus);
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(0, size, set) == 0) {
      const int count = CPU_COUNT_S(size, set);
      CPU_FREE(set);
      return count > 0 ? static_cast<unsigned>(count) : 0U;
    }
    const int err = errno;
    CPU_FREE(set);
    if (err != EINVAL) {
      break;
    }
  }
  return std::thread::hardware_concurrency();
}

}  // namespace

unsigned usable_cores() {
  detail::CgroupCpuFiles files;
  files.cpu_max = cgroup::read_control_file("/sys/fs/cgroup/cpu.max");
  if (!files.cpu_max) {
    files.cfs_quota_us = cgroup::read_control_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    files.cfs_period_us = cgroup::read_control_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  }
  return detail::cores_from_limits(affinity_cores(), files);
}

}  // namespace volback::util
