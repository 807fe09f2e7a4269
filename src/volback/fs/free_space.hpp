#pragma once
// How much space a directory's filesystem has left.

#include <cstdint>
#include <string>

#include <volback/util/result.hpp>

namespace volback::fs {

// The bytes an unprivileged user may still write on the filesystem holding `directory`
// (statvfs f_bavail * f_frsize). Errors: not_found when the path does not exist,
// permanent otherwise.
util::Result<std::uint64_t> free_space(const std::string& directory);

// The same for the filesystem of the open descriptor `fd` (fstatvfs); `what` names it in
// errors. Errors: permanent.
util::Result<std::uint64_t> free_space_at(int fd, const std::string& what);

}  // namespace volback::fs
