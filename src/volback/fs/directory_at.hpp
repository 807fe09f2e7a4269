#pragma once
// Directory operations relative to an open directory, that never follow a symlink: what
// restore and its crash recovery use inside a target that other people can write to
// (a volume). A name here is one path component; a path is never re-resolved, so a
// symlink planted in place of a directory is acted on as the symlink itself (renamed,
// unlinked), never through.

#include <string>
#include <vector>

#include <volback/fs/unique_fd.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

// Opens the directory `path` (O_DIRECTORY | O_NOFOLLOW: a symlink as the last component
// is refused). Errors: not_found; permanent (ELOOP/ENOTDIR: not a directory, EACCES...).
util::Result<UniqueFd> open_directory(const std::string& path);

// Opens the directory `name` in `dir`, never through a symlink. Errors: as open_directory.
util::Result<UniqueFd> open_directory_at(int dir, const std::string& name);

// The names in `dir` without "." and "..", sorted bytewise. Errors: permanent.
util::Result<std::vector<std::string>> list_directory_at(int dir);

// Removes `name` in `dir` and, when it is a directory (not a symlink to one), everything
// below it, descending through descriptors only. With `make_writable`, each directory is
// first made owner-writable (0700), for trees this process copied with their modes (a
// read-only directory could not be emptied without root). Errors: the first failure (the
// rest is still attempted); a missing `name` is success.
util::Result<void> remove_tree_at(int dir, const std::string& name, bool make_writable = false);

// Moves every entry of `from` into `to` (renameat; both on one file system), except the
// names in `keep`. Errors: the first rename that fails (the entries moved so far stay
// moved; the caller knows which from the listing).
util::Result<void> move_entries_at(int from, int to, const std::vector<std::string>& keep);

// fsync on a directory descriptor; file systems that cannot (EINVAL) count as success.
util::Result<void> fsync_fd(int fd, const std::string& what);

}  // namespace volback::fs
