#include <volback/fs/free_space.hpp>

#include <sys/statvfs.h>

#include <cerrno>

namespace volback::fs {
namespace {

std::uint64_t available(const struct statvfs& st) {
  return static_cast<std::uint64_t>(st.f_bavail) * static_cast<std::uint64_t>(st.f_frsize);
}

}  // namespace

util::Result<std::uint64_t> free_space(const std::string& directory) {
  struct statvfs st {};
  if (::statvfs(directory.c_str(), &st) != 0) {
    return util::fail(util::errno_error(errno, "statvfs " + directory));
  }
  return available(st);
}

util::Result<std::uint64_t> free_space_at(int fd, const std::string& what) {
  struct statvfs st {};
  if (::fstatvfs(fd, &st) != 0) {
    return util::fail(util::errno_error(errno, "statvfs " + what));
  }
  return available(st);
}

}  // namespace volback::fs
