#include <volback/fs/directory_at.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include <volback/fs/dir_stream.hpp>

namespace volback::fs {
namespace {

constexpr int k_directory_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

}  // namespace

util::Result<UniqueFd> open_directory(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), k_directory_flags));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, fmt::format("cannot open the directory {}", path)));
  }
  return fd;
}

util::Result<UniqueFd> open_directory_at(int dir, const std::string& name) {
  UniqueFd fd(::openat(dir, name.c_str(), k_directory_flags));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, fmt::format("cannot open the directory {}", name)));
  }
  return fd;
}

util::Result<std::vector<std::string>> list_directory_at(int dir) {
  const int copy = ::openat(dir, ".", k_directory_flags);
  if (copy < 0) {
    return util::fail(util::errno_error(errno, "cannot read a directory"));
  }
  DirStream d(::fdopendir(copy));
  if (!d) {
    const int err = errno;
    ::close(copy);
    return util::fail(util::errno_error(err, "cannot read a directory"));
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(d.get());
    if (entry == nullptr) {
      if (errno != 0) {
        return util::fail(util::errno_error(errno, "cannot read a directory"));
      }
      break;
    }
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
      names.emplace_back(entry->d_name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

util::Result<void> remove_tree_at(int dir, const std::string& name, bool make_writable) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? util::Result<void>() : util::fail(util::errno_error(errno, "cannot remove " + name));
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
      return util::fail(util::errno_error(errno, "cannot remove " + name));
    }
    return {};
  }
  util::Result<void> result;
  {
    if (make_writable) {
      // Never through a symlink; a failure shows in the removals below.
      (void)::fchmodat(dir, name.c_str(), 0700, AT_SYMLINK_NOFOLLOW);
    }
    VOLBACK_TRY_ASSIGN(const UniqueFd sub, open_directory_at(dir, name));
    VOLBACK_TRY_ASSIGN(const auto names, list_directory_at(sub.get()));
    for (const auto& child : names) {
      if (auto removed = remove_tree_at(sub.get(), child, make_writable); !removed && result) {
        result = removed;
      }
    }
  }
  if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT && result) {
    result = util::fail(util::errno_error(errno, "cannot remove " + name));
  }
  return result;
}

util::Result<void> move_entries_at(int from, int to, const std::vector<std::string>& keep) {
  VOLBACK_TRY_ASSIGN(const auto names, list_directory_at(from));
  for (const auto& name : names) {
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) {
      continue;
    }
    if (::renameat(from, name.c_str(), to, name.c_str()) != 0) {
      return util::fail(util::errno_error(errno, fmt::format("cannot move {}", name)));
    }
  }
  return {};
}

util::Result<void> fsync_fd(int fd, const std::string& what) {
  if (::fsync(fd) != 0 && errno != EINVAL) {
    return util::fail(util::errno_error(errno, "cannot sync " + what));
  }
  return {};
}

}  // namespace volback::fs
