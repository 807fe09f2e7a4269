#pragma once
// Directory listing and durability.

#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::fs {

// The names of the entries of `dir` (not paths), without "." and "..", sorted bytewise.
// Entries of every type are included; callers lstat what they need. Errors: not_found
// when `dir` does not exist or is not a directory, permanent otherwise.
util::Result<std::vector<std::string>> list_directory(const std::string& dir);

// Makes the creation, removal and renaming of entries in `dir` durable (fsync on the
// directory). Call it after rename() when the new name must survive a crash.
// Filesystems that cannot fsync a directory (EINVAL) count as success. Errors:
// not_found, permanent.
util::Result<void> fsync_directory(const std::string& dir);

}  // namespace volback::fs
