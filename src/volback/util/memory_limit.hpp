#pragma once
// How much memory this process may use: the memory limit of its cgroup, as a container's
// `--memory` or a systemd unit's MemoryMax= sets it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace volback::util {

// The smallest memory limit on this process's cgroup and its ancestors, in bytes, or
// nullopt when there is none (or no cgroup file system is mounted). cgroup v2: memory.max
// of the process's own cgroup and of each ancestor (inside a container the mount's root
// is the container's cgroup); v1: the hierarchical limit from memory.stat, else
// memory.limit_in_bytes. Reads a handful of small files.
std::optional<std::uint64_t> cgroup_memory_limit();

namespace detail {

// A limit file's value: bytes, or nullopt for "max", v1's "no limit" (any value of 2^60
// or more, as the kernel reports LLONG_MAX rounded to pages), zero, negative or malformed
// text. Pure.
std::optional<std::uint64_t> parse_memory_limit(std::string_view text);

// The cgroup paths of this process from /proc/self/cgroup: the v2 path ("0::/x") and the
// v1 memory controller's path ("4:memory:/x"); empty when absent. Pure.
struct CgroupPaths {
  std::string v2;
  std::string v1_memory;
};
CgroupPaths parse_proc_cgroup(std::string_view text);

// The value of `key` in a memory.stat text ("hierarchical_memory_limit 26214400"), or
// nullopt. Pure.
std::optional<std::uint64_t> memory_stat_value(std::string_view stat, std::string_view key);

}  // namespace detail

}  // namespace volback::util
