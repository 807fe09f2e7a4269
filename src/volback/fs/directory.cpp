#include <volback/fs/directory.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <volback/fs/dir_stream.hpp>
#include <volback/fs/unique_fd.hpp>

namespace volback::fs {

util::Result<std::vector<std::string>> list_directory(const std::string& dir) {
  DirStream d(::opendir(dir.c_str()));
  if (!d) {
    return util::fail(util::errno_error(errno, "opendir " + dir));
  }
  std::vector<std::string> names;
  while (true) {
    // readdir() returns nullptr both at the end and on error; only errno tells them apart.
    errno = 0;
    const dirent* entry = ::readdir(d.get());
    if (entry == nullptr) {
      if (errno != 0) {
        return util::fail(util::errno_error(errno, "readdir " + dir));
      }
      break;
    }
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) {
      continue;
    }
    names.emplace_back(entry->d_name);
  }
  // std::string's ordering compares like memcmp, i.e. as unsigned bytes.
  std::sort(names.begin(), names.end());
  return names;
}

util::Result<void> fsync_directory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "open directory " + dir));
  }
  if (::fsync(fd.get()) != 0 && errno != EINVAL) {
    return util::fail(util::errno_error(errno, "fsync directory " + dir));
  }
  return {};
}

}  // namespace volback::fs
