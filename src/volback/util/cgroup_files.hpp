#pragma once
// Small helpers for reading cgroup control files (cpu.max, memory.max, ...): shared by
// the CPU and memory limit readers. Internal to util.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace volback::util::cgroup {

// The content of a small control file, or nullopt when it does not exist or cannot be
// read. Reads at most 64 KiB.
std::optional<std::string> read_control_file(const std::string& path);

// A whole decimal integer, or nullopt for anything else (signs allowed, no blanks).
std::optional<std::int64_t> parse_int(std::string_view s);

}  // namespace volback::util::cgroup
