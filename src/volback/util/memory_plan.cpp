#include <volback/util/memory_plan.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/util/cores.hpp>
#include <volback/util/memory_limit.hpp>

namespace volback::util {

namespace {

constexpr std::uint64_t k_process_bytes = 12 * k_plan_mib;
// The libraries' pages in RSS; shared with other processes, so a cgroup rarely pays them.
constexpr std::uint64_t k_library_bytes = 16 * k_plan_mib;
// Without a limit, the RSS a whole backup stays within (on up to 2 cores; each further
// core adds a compression worker).
constexpr std::uint64_t k_unlimited_target = 64 * k_plan_mib;
constexpr std::uint64_t k_worker_bytes = 5 * k_plan_mib;
// From this limit on, the manifest hashes on its own thread and zstd keeps its 2 MiB jobs.
constexpr std::uint64_t k_roomy_limit = 64 * k_plan_mib;
constexpr std::size_t k_small_zstd_job = std::size_t{512} << 10;

std::uint64_t mib(std::uint64_t bytes) {
  return bytes / k_plan_mib;
}

}  // namespace

MemoryPlan plan_memory(std::optional<std::uint64_t> limit, unsigned cores) {
  cores = std::max(cores, 1U);
  MemoryPlan plan;
  plan.limit = limit;
  plan.part_size_bytes = k_min_part_bytes;
  if (!limit) {
    plan.compression_threads = cores;
    const std::uint64_t fixed = k_process_bytes + k_library_bytes + cores * k_worker_bytes;
    plan.part_buffer_bytes =
      std::clamp(k_unlimited_target - std::min(k_unlimited_target, fixed), k_min_part_bytes, k_max_part_buffer);
    return plan;
  }
  std::uint64_t left = *limit > k_process_bytes ? *limit - k_process_bytes : 0;
  const auto take = [&left](std::uint64_t bytes) { left -= std::min(left, bytes); };
  take(k_worker_bytes + k_min_part_bytes);
  plan.compression_threads = 1;
  while (plan.compression_threads < cores && left >= k_worker_bytes) {
    ++plan.compression_threads;
    take(k_worker_bytes);
  }
  plan.part_buffer_bytes = std::min(k_min_part_bytes + left, k_max_part_buffer);
  plan.hash_thread = *limit >= k_roomy_limit;
  // Below that, zstd's worker holds a few 2 MiB jobs in and out: too much for 25 MiB.
  plan.zstd_job_bytes = *limit >= k_roomy_limit ? 0 : k_small_zstd_job;
  return plan;
}

const MemoryPlan& memory_plan() {
  static const MemoryPlan plan = plan_memory(cgroup_memory_limit(), usable_cores());
  return plan;
}

std::string describe(const MemoryPlan& plan) {
  const std::string limit = plan.limit ? fmt::format("cgroup limit {} MiB", mib(*plan.limit)) : "no memory limit";
  return fmt::format("{}: {} compression thread{}, {} MiB of part buffers, {} MiB parts{}{}", limit,
                     plan.compression_threads, plan.compression_threads == 1 ? "" : "s", mib(plan.part_buffer_bytes),
                     mib(plan.part_size_bytes), plan.hash_thread ? "" : ", manifest hashed inline",
                     plan.zstd_job_bytes == 0 ? "" : fmt::format(", {} KiB zstd jobs", plan.zstd_job_bytes >> 10));
}

}  // namespace volback::util
