#pragma once
// storage/sftp: the "SSH" backend, a directory on an SFTP server (OpenSSH, a Hetzner
// Storage Box, ...), on libssh2.
//
// Objects are `<SSH_REMOTE_PATH>/<key>`; nested keys live in directories made as needed
// (so is SSH_REMOTE_PATH). An upload writes `.volback-partial-<random>` in the object's
// directory on connections of its own (SSH_UPLOAD_CONNECTIONS, each writing 2 MiB chunks
// at their offsets with libssh2's pipelined writes; sftp_upload.hpp), then fsyncs it
// (where the server offers fsync@openssh.com) and renames it into place; an existing
// object of that name is replaced. Nothing is visible under the key before finish(); an
// abandoned upload removes its temporary file, and remove_incomplete_uploads() removes
// every `.volback-partial-*` file below the remote directory that interrupted runs left.
//
// list() walks the directories below the remote path (recursive, a string prefix on the
// key), regular files only, skipping names that start with '.'; ObjectInfo::modified is
// the mtime. open() reads on a connection of its own from the range's offset.
// preflight() logs in and looks at the remote directory (a missing one is fine: the
// first upload makes it). Connecting and every metadata operation are retried when the
// error is transient, reconnecting; a broken upload fails (a stream cannot be replayed).
//
// Error kinds follow ssh_connection.hpp.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/sftp/sftp_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::sftp {

struct SftpContext {
  util::Logger& log;
  const util::CancelToken& cancel;
  std::string state_dir;  // holds the pinned host keys (ssh-known-hosts)
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it.
// Thread-safety: the backend may be used from several threads; each UploadSink and
// Source by one thread at a time.
std::unique_ptr<storage::Backend> make_sftp_backend(SftpSettings settings, SftpContext context);

}  // namespace volback::storage::sftp
