#pragma once
// Writing a small file so that a crash leaves either the old or the new content, never a
// part: the content goes to a temporary file beside it, is synced, renamed over the
// file, and the rename is synced too. The state directory's files (crash journal, run
// history, restore records) are written this way.

#include <sys/types.h>

#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::fs {

// Writes `content` to `path` atomically with permissions `mode`, creating the parent
// directories (0700) when missing. Errors: the errno kind of the failing step, the
// message naming the path; on failure `path` is unchanged and no temporary file stays.
util::Result<void> write_file_atomically(const std::string& path, std::string_view content, mode_t mode = 0600);

}  // namespace volback::fs
