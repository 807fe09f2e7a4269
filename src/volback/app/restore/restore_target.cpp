#include <volback/app/restore/restore_target.hpp>

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include <volback/fs/directory.hpp>

namespace volback::app {

util::Result<bool> has_content(const std::string& dir) {
  VOLBACK_TRY_ASSIGN(const auto names, fs::list_directory(dir));
  return !names.empty();
}

bool is_read_only(const std::string& dir) {
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
    return true;
  }
  return ::access(dir.c_str(), W_OK) != 0 && errno == EROFS;
}

}  // namespace volback::app
