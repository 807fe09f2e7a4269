#include <volback/storage/sftp/sftp_files.hpp>

#include <fmt/format.h>

namespace volback::storage::sftp {

std::string Paths::of(std::string_view rel) const {
  if (m_root.empty()) {
    return rel.empty() ? std::string(".") : std::string(rel);
  }
  return rel.empty() ? m_root : m_root + "/" + std::string(rel);
}

util::Result<Handle> open_file(SshConnection& c, const std::string& path, unsigned long flags, long mode) {
  LIBSSH2_SFTP_HANDLE* h = libssh2_sftp_open_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size()), flags, mode,
                                                LIBSSH2_SFTP_OPENFILE);
  if (h == nullptr) {
    return util::fail(c.sftp_error("open", path));
  }
  return Handle(h);
}

util::Result<void> make_dirs(SshConnection& c, const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/") {
    return {};
  }
  LIBSSH2_SFTP_ATTRIBUTES attrs{};
  if (libssh2_sftp_stat_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), LIBSSH2_SFTP_STAT, &attrs) == 0) {
    if (!LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
      return util::fail(util::ErrorKind::permanent, fmt::format("SFTP: {} exists and is not a directory", dir));
    }
    return {};
  }
  const auto slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VOLBACK_TRY(make_dirs(c, dir.substr(0, slash)));
  }
  if (libssh2_sftp_mkdir_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), 0755) != 0) {
    const auto error = c.sftp_error("mkdir", dir);
    // Made by someone else meanwhile?
    if (libssh2_sftp_stat_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), LIBSSH2_SFTP_STAT, &attrs) ==
          0 &&
        LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
      return {};
    }
    return util::fail(error);
  }
  return {};
}

util::Result<void> remove_file(SshConnection& c, const std::string& path) {
  if (libssh2_sftp_unlink_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size())) != 0) {
    auto error = c.sftp_error("remove", path);
    if (error.kind() != util::ErrorKind::not_found) {
      return util::fail(error);
    }
  }
  return {};
}

}  // namespace volback::storage::sftp
