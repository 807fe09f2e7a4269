#pragma once
// anonymous_file: a temporary file that has no name, for data that must not stay in
// memory and must not outlive the process: O_TMPFILE in `dir`, or, where the file system
// lacks it, a file created there under a random name and unlinked at once. Readable and
// writable, mode 0600, close-on-exec. Errors: the errno kind of the failure, naming
// `what` and `dir`.

#include <string>
#include <string_view>

#include <volback/fs/unique_fd.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

util::Result<UniqueFd> anonymous_file(const std::string& dir, std::string_view what);

}  // namespace volback::fs
