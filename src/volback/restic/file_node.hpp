#pragma once
// The node restic 0.14 records for a directory entry, read from the file system with
// lstat (symlinks are not followed): type, Go mode bits, times (atime = mtime, as restic
// without --with-atime), numeric owner and the names it resolves to, inode, device,
// size, link count, symlink target, extended attributes and device number. Content and
// subtree are left for the caller. One thread at a time (it caches owner names).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <sys/stat.h>

#include <volback/restic/tree.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

class FileNodeReader {
 public:
  // The node of `path`, named `name`, with its lstat `st`. nullopt for what restic 0.14
  // does not store (sockets). Errors: the errno kind of a failed readlink or xattr read.
  // `previous`, the parent snapshot's node of the same name (or nullptr): when it has the
  // same type, inode and change time, its extended attributes are taken without reading
  // them (setting or removing an attribute changes the change time).
  util::Result<std::optional<Node>> read(const std::string& path, std::string name, const struct stat& st,
                                         const Node* previous = nullptr);

 private:
  std::string user_name(std::uint32_t uid);
  std::string group_name(std::uint32_t gid);

  std::map<std::uint32_t, std::string> m_users;
  std::map<std::uint32_t, std::string> m_groups;
};

// A time of a stat structure as restic writes it (UTC).
GoTime go_time_of(const struct timespec& time);

}  // namespace volback::restic
