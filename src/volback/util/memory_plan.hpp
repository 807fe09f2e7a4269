#pragma once
// How a backup divides the memory it may use among its buffers, planned once per process
// from the cgroup memory limit and the usable cores. Each module takes its default from
// here when its own setting is unset (GZIP_PARALLELISM, AWS_PART_BUFFER_LIMIT,
// AWS_PART_SIZE); a setting that is set always wins.
//
// The figures come from measurements of whole backups to S3 (docs/performance.md,
// "Memory"): the process with its libraries and one archive stream takes about 12 MiB,
// each compression worker about 5 MiB, and S3 parts their own size while they fill and
// upload.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace volback::util {

struct MemoryPlan {
  std::optional<std::uint64_t> limit;   // the cgroup limit planned for; nullopt: none
  unsigned compression_threads = 1;     // gzip and zstd workers
  std::uint64_t part_buffer_bytes = 0;  // S3 part buffers held at once; Azure's blocks
  std::uint64_t part_size_bytes = 0;    // S3's first part size
  bool hash_thread = true;              // whether the manifest may hash on its own thread
  std::size_t zstd_job_bytes = 0;       // libzstd's job size; 0: the codec's default
};

inline constexpr std::uint64_t k_plan_mib = std::uint64_t{1} << 20;
// The smallest S3 part: the planned part size, and the smallest part buffer.
inline constexpr std::uint64_t k_min_part_bytes = 5 * k_plan_mib;
// The most part buffer a plan gives: one part filling and two uploading.
inline constexpr std::uint64_t k_max_part_buffer = 3 * k_min_part_bytes;

// The plan for `limit` (nullopt: none) and `cores` (at least 1). Pure. Parts are always
// S3's smallest, 5 MiB, so that several fit in little memory.
// - Without a limit: a compression worker per core, and part buffers of what is left of
//   64 MiB after the process, its libraries and the workers (5 to 15 MiB).
// - With a limit: what is left after the process's own 12 MiB goes first to one
//   compression worker and one part, then to more workers (5 MiB each, up to `cores`),
//   then to more part buffer (up to 15 MiB); the manifest hashes on its own thread only
//   when the limit is 64 MiB or more, and zstd's jobs shrink from 2 MiB to 512 KiB below
//   it. A limit too small for even that gets the smallest plan (one worker, one part),
//   which is what offen's 25 MiB needs.
MemoryPlan plan_memory(std::optional<std::uint64_t> limit, unsigned cores);

// This process's plan: plan_memory(cgroup_memory_limit(), usable_cores()), computed once.
const MemoryPlan& memory_plan();

// One line for print-config and the run's first log lines, e.g.
// "cgroup limit 25 MiB: 1 compression thread, 5 MiB of part buffers, 5 MiB parts".
std::string describe(const MemoryPlan& plan);

}  // namespace volback::util
