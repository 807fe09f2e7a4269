#pragma once
// File operations on an SFTP connection that the backend and its uploads share
// (internal to storage/sftp): remote paths below SSH_REMOTE_PATH, open handles,
// directories made as needed and removal.

#include <memory>
#include <string>
#include <string_view>

#include <volback/storage/sftp/ssh_connection.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::sftp {

struct HandleCloser {
  void operator()(LIBSSH2_SFTP_HANDLE* h) const { libssh2_sftp_close_handle(h); }
};
using Handle = std::unique_ptr<LIBSSH2_SFTP_HANDLE, HandleCloser>;

// Paths on the server, relative to the login directory unless `root` is absolute.
class Paths {
 public:
  explicit Paths(std::string root) : m_root(std::move(root)) {}
  // `rel` below the root; the root itself (or ".") for "".
  std::string of(std::string_view rel) const;

 private:
  std::string m_root;
};

// Opens `path` with libssh2's LIBSSH2_FXF_* `flags`; errors as SshConnection::sftp_error.
util::Result<Handle> open_file(SshConnection& c, const std::string& path, unsigned long flags, long mode);

// Creates `dir` and every missing directory above it; one made meanwhile by someone else
// is fine, a file in the way is a permanent error.
util::Result<void> make_dirs(SshConnection& c, const std::string& dir);

// Removes the file `path`; one that does not exist is fine.
util::Result<void> remove_file(SshConnection& c, const std::string& path);

}  // namespace volback::storage::sftp
