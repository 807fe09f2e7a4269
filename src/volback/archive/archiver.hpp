#pragma once
// Walks BACKUP_SOURCES and streams it into a TarWriter.
//
// The walk is depth-first in bytewise-sorted order, like Go's filepath.WalkDir that
// offen uses: the root directory first, then each name of a directory in order, a
// directory's subtree right after the directory. Symlinks are stored as symlinks and
// never followed (the root itself is the exception: a root that is a symlink to a
// directory is walked as that directory). Only one directory's sorted names are held at
// a time per level, so memory does not grow with the size of the tree. Each directory
// level being walked holds one open descriptor, so a tree nested deeper than the
// open-file limit reports its deepest directories as unreadable.
//
// Entry names are the absolute paths without the leading '/': source /x/backup gives
// "x/backup/" (libarchive ends directory names with '/'), "x/backup/app/file", ...
// (source "/" gives "./" for the root and "etc/..." below it). Metadata comes from
// libarchive's archive_read_disk: numeric uid/gid and user/group names, mode, mtime
// with nanoseconds, extended attributes, POSIX ACLs and file flags; atime, ctime and
// birth time are not stored. Hard links are stored as hard links (the first name carries
// the content). Sparse files keep their holes: only the data regions are read and stored
// (GNU sparse 1.0 map, which GNU tar and libarchive restore as holes); files without
// holes are read sequentially in 1 MiB chunks. Device nodes and FIFOs are stored as
// such, sockets are skipped silently (as offen does).
//
// Differences from offen, on purpose:
//   - A directory matching BACKUP_EXCLUDE_REGEXP is skipped with its whole subtree
//     (offen still walks into it and keeps children that do not match). The root is
//     never excluded.
//   - A file that vanishes during the walk, or cannot be read, does not fail the run:
//     it is reported (ArchiveReport) and logged, and the walk goes on (offen aborts,
//     issue #608).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <volback/archive/exclusion.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

// Seams that let unit tests reproduce races and I/O failures that cannot be arranged on
// a real filesystem, in particular as root (root is never refused with EACCES, disks do
// not fail on demand). Production code leaves ArchiveOptions::test_hooks null. Every
// member may be empty.
struct ArchiveTestHooks {
  // Called with an entry's absolute path right before it is lstat()ed (after its
  // directory was listed): a test may delete or replace it here to simulate a
  // concurrent change.
  std::function<void(const std::string& path)> before_stat;
  // Called with a regular file's absolute path after its header was written and before
  // its content is read: a test may truncate it here.
  std::function<void(const std::string& path)> before_read;
  // Returns an errno value to make opening `path` fail with, or 0 to open it normally.
  std::function<int(const std::string& path)> open_error;
  // Returns an errno value to make the read of `path` at `offset` fail with, or 0.
  std::function<int(const std::string& path, std::uint64_t offset)> read_error;
};

struct ArchiveOptions {
  // The directory to archive: absolute and normalized (see ArchiveSettings::source).
  std::string source;
  // When not empty: the path `source` stands for (absolute and normalized), because
  // `source` is a copy of it (a snapshot, fs/snapshot_copy.hpp). Entry names, the paths
  // `exclude` is matched against and the paths reported and logged are then those under
  // `names_as`, so the archive is the one a walk of `names_as` itself would write. Files
  // are still read under `source`, and `own_files` are paths under `source`.
  std::string names_as;
  // Entries whose absolute path matches are skipped (with their subtree). Not owned;
  // must outlive archive_tree(). Null: nothing is excluded.
  const Exclusion* exclude = nullptr;
  // Absolute paths that are never archived: volback's own output (the partial archive
  // file or the spool) when it lies inside the source.
  std::vector<std::string> own_files;
  // true: a sparse file's holes are left out of the archive and described by a PAX
  // sparse 1.0 map (GNU tar, bsdtar and volback read it; BusyBox tar does not). false: the
  // holes are stored as zeros, so every tar extracts the right content; the holes are
  // still never read from disk.
  bool sparse = false;
  // true: headers carry user and group names looked up in this container's account
  // database next to the numeric ids. false: numeric ids only.
  bool owner_names = false;
  // For tests only; see ArchiveTestHooks. Not owned.
  const ArchiveTestHooks* test_hooks = nullptr;
};

struct FileProblem {
  std::string path;    // absolute
  std::string reason;  // e.g. "cannot open: Permission denied"
};

struct ArchiveReport {
  std::uint64_t entries = 0;        // entries written by archive_tree()
  std::uint64_t content_bytes = 0;  // logical bytes of regular-file content written
  // Files and directories that could not be read. A file that failed after its header
  // was written is in the archive, padded with zeros; one that failed to open is not. A
  // directory that could not be listed is in the archive without its children.
  std::vector<FileProblem> unreadable;
  // Absolute paths that disappeared between being listed and being read; not archived.
  std::vector<std::string> vanished;
};

// Streams a tar of options.source into `tar`. REQUIRES: the caller already wrote any
// global header; the caller adds trailing entries and calls tar.finish() afterwards.
// Files that vanish or cannot be read are reported in the result (and logged at WARN
// and ERROR), not returned as errors. Errors: not_found when the source does not exist,
// invalid_argument when it is not an absolute path to a directory, permanent when it
// cannot be opened; cancelled once `cancel` fired (checked per entry and per data
// chunk); the errors of the TarWriter's sink. After an error the tar stream is
// incomplete and must be discarded. `log` and `cancel` are only used during the call.
util::Result<ArchiveReport> archive_tree(const ArchiveOptions& options, TarWriter& tar, util::Logger& log,
                                         const util::CancelToken& cancel);

}  // namespace volback::archive
