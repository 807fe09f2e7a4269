#pragma once
// How much disk a directory tree occupies, as an upper bound for the space its
// archive needs.

#include <cstdint>
#include <string>

#include <volback/util/result.hpp>

namespace volback::fs {

// The allocated size (st_blocks) of every entry below and including `root`, plus one
// KiB of tar header per entry. Symlinks are not followed; entries that vanish during
// the walk are ignored. Reads metadata only.
util::Result<std::uint64_t> disk_usage(const std::string& root);

}  // namespace volback::fs
