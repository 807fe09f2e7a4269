#include <volback/restic/file_mode.hpp>

#include <sys/stat.h>

namespace volback::restic {

std::uint32_t go_file_mode_from_posix(std::uint32_t posix_mode) {
  std::uint32_t mode = posix_mode & k_go_mode_perm;
  switch (posix_mode & S_IFMT) {
  case S_IFBLK: mode |= k_go_mode_device; break;
  case S_IFCHR: mode |= k_go_mode_device | k_go_mode_char_device; break;
  case S_IFDIR: mode |= k_go_mode_dir; break;
  case S_IFIFO: mode |= k_go_mode_named_pipe; break;
  case S_IFLNK: mode |= k_go_mode_symlink; break;
  case S_IFSOCK: mode |= k_go_mode_socket; break;
  default: break;  // S_IFREG, and types Go does not know, have no type bit
  }
  if ((posix_mode & S_ISUID) != 0) {
    mode |= k_go_mode_setuid;
  }
  if ((posix_mode & S_ISGID) != 0) {
    mode |= k_go_mode_setgid;
  }
  if ((posix_mode & S_ISVTX) != 0) {
    mode |= k_go_mode_sticky;
  }
  return mode;
}

std::uint32_t posix_mode_from_go_file_mode(std::uint32_t go_mode) {
  std::uint32_t mode = go_mode & k_go_mode_perm;
  if ((go_mode & k_go_mode_dir) != 0) {
    mode |= S_IFDIR;
  } else if ((go_mode & k_go_mode_symlink) != 0) {
    mode |= S_IFLNK;
  } else if ((go_mode & k_go_mode_char_device) != 0) {
    mode |= S_IFCHR;
  } else if ((go_mode & k_go_mode_device) != 0) {
    mode |= S_IFBLK;
  } else if ((go_mode & k_go_mode_named_pipe) != 0) {
    mode |= S_IFIFO;
  } else if ((go_mode & k_go_mode_socket) != 0) {
    mode |= S_IFSOCK;
  } else {
    mode |= S_IFREG;
  }
  if ((go_mode & k_go_mode_setuid) != 0) {
    mode |= S_ISUID;
  }
  if ((go_mode & k_go_mode_setgid) != 0) {
    mode |= S_ISGID;
  }
  if ((go_mode & k_go_mode_sticky) != 0) {
    mode |= S_ISVTX;
  }
  return mode;
}

}  // namespace volback::restic
