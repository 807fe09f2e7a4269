#pragma once
// A point-in-time copy of a directory tree (offen's BACKUP_FROM_SNAPSHOT): copied while
// the containers are stopped, archived after they run again.
//
// Contract of copy_tree():
//   - Free space first: the file system of `into` must have the tree's disk usage
//     (fs/disk_usage.hpp: allocated blocks plus a KiB per entry) free, or nothing is
//     created. It is an upper bound: a reflinked copy needs almost none of it.
//   - Nothing is written outside the copy: every entry is created relative to a
//     descriptor of a directory the copy itself created (mkdirat, openat with O_CREAT |
//     O_EXCL | O_NOFOLLOW, symlinkat, mknodat, linkat), and no symlink is ever followed
//     in the source below the root (the root may be a symlink to a directory, as for
//     the archive walk).
//   - Entry types as the archive walk (archive/archiver.hpp) stores them: directories
//     (empty ones too), regular files (fs/file_clone.hpp: a FICLONE reflink where the
//     file system can, else the data regions only, so holes stay holes), symlinks as
//     symlinks with the same target, FIFOs and device nodes recreated with mknodat and
//     never opened; sockets are left out. A directory that is `into` itself (the copy
//     lying inside the source) is left out too.
//   - Hard links: the names of one file (st_nlink > 1) become hard links of its first
//     copy. Only files some of whose names are still to come are remembered.
//   - Metadata: owner and group (when this process may set them: EPERM is ignored, as
//     `cp -p` does without root), mode with the set-id and sticky bits, the extended
//     attributes of files and directories (POSIX ACLs included; those the process may
//     not set are left out), and access and modification times with nanoseconds. A directory gets its own after its
//     content, so its times are the source's.
//   - A file that vanishes between being listed and being copied is reported in
//     `vanished` and left out; a file or directory that cannot be read is reported in
//     `unreadable` (a directory is then copied without its content, a file that failed
//     part way is kept, padded with zeros to its size; one that cannot be opened is left
//     out). A file that grows while copied is copied at the size it had when opened.
//     All logged at WARN or ERROR as the archive walk logs them.
//   - Opening never blocks: regular files are opened O_NONBLOCK | O_NOFOLLOW, and one
//     replaced by a FIFO or anything else since it was listed counts as vanished.
//   - Memory: the sorted names of one directory per level being copied (plus one
//     descriptor per level), the pending hard links, one 1 MiB buffer.
//   - On any error the partial copy is removed before returning, so `name` is left only
//     on success. Errors: not_found / invalid_argument for a missing source or one that
//     is not a directory, permanent when the space does not fit or the copy cannot be
//     written (ENOSPC, EIO...), cancelled once `cancel` fired (checked per entry and per
//     chunk of data).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

// Seams for tests: failures that cannot be arranged on demand as root. Production code
// leaves SnapshotOptions::test_hooks null; every member may be empty.
struct SnapshotTestHooks {
  // Replaces the free space statvfs reports for `into`.
  std::function<std::uint64_t()> free_space;
  // Returns an errno to fail creating the copy of the source path `path` with, or 0.
  std::function<int(const std::string& path)> create_error;
  // Called with a regular file's source path after it was opened and before its content
  // is copied: a test may grow or truncate it here.
  std::function<void(const std::string& path)> before_copy;
};

struct SnapshotOptions {
  // Called with the absolute source path of each entry below the root; true leaves the
  // entry (a directory with everything below it) out of the copy. May be empty.
  std::function<bool(const std::string& path)> skip;
  // false: never try FICLONE (the copy then always copies data).
  bool allow_reflink = true;
  // For tests only; not owned.
  const SnapshotTestHooks* test_hooks = nullptr;
};

struct SnapshotProblem {
  std::string path;    // absolute source path
  std::string reason;  // e.g. "cannot open: Permission denied"
};

struct SnapshotReport {
  std::uint64_t entries = 0;          // entries in the copy, the root included
  std::uint64_t bytes = 0;            // the regular files' content (logical size; each hard-linked file once)
  std::uint64_t reflinked_files = 0;  // files whose content was shared with FICLONE
  std::uint64_t copied_files = 0;     // files whose content was copied
  std::uint64_t required_bytes = 0;   // what the free-space check asked for
  std::vector<std::string> vanished;  // absolute source paths
  std::vector<SnapshotProblem> unreadable;
};

// Copies the directory `source` (absolute) to a new directory `name` inside the open
// directory `into`, under the contract above.
util::Result<SnapshotReport> copy_tree(const std::string& source, int into, const std::string& name, util::Logger& log,
                                       const util::CancelToken& cancel, const SnapshotOptions& options = {});

}  // namespace volback::fs
