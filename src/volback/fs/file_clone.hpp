#pragma once
// Copying the content of one open regular file into another, as cheaply as the file
// systems allow: a reflink where they share extents, else an in-kernel copy of the data
// regions only (holes stay holes), else read and write.

#include <cstdint>
#include <optional>
#include <string>

#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

struct CloneResult {
  bool reflinked = false;  // FICLONE shared the extents: no data was copied
  // Set when `from` could not be read to the end (a read error, or it shrank): the copy
  // is then padded with zeros up to the size asked for. Says what happened.
  std::optional<std::string> source_problem;
};

// Gives the empty regular file `to` the first `size` bytes of the regular file `from`
// (`size` is what the caller saw in fstat; a file that grew since is cut there), in this
// order of preference:
//   1. ioctl FICLONE (unless `allow_reflink` is false): `to` shares `from`'s extents,
//      holes included; then cut or extended to `size`.
//   2. copy_file_range over the data regions that SEEK_DATA/SEEK_HOLE report (the whole
//      file when the file system reports none); holes are skipped.
//   3. pread/pwrite in 1 MiB chunks (copy_file_range unsupported, across file systems, or
//      failing ambiguously), so that a read error and a write error are told apart.
// `to` ends with exactly `size` bytes. Memory: one 1 MiB buffer, only in case 3.
// Errors: writing `to` failed (ENOSPC, EIO...), as errno_error; cancelled once `cancel`
// fired (checked per chunk of at most 8 MiB). Reading `from` never fails the call: see
// CloneResult::source_problem. REQUIRES: both descriptors are open on regular files, `to`
// for writing and empty.
util::Result<CloneResult> clone_file(int from, int to, std::uint64_t size, bool allow_reflink,
                                     const util::CancelToken& cancel);

}  // namespace volback::fs
