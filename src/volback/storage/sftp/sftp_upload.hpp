#pragma once
// The SFTP backend's upload sink (internal to storage/sftp).
//
// The archive is written to `.volback-partial-<random>` in the object's directory, then
// fsynced (where the server offers fsync@openssh.com) and renamed over the key. The
// stream is cut into 2 MiB chunks that go round-robin to up to `connections` SSH
// connections, each writing its chunk at the chunk's offset on a thread of its own with
// libssh2's pipelined writes (requests of 30,000 bytes in flight). Several connections
// pay because libssh2 1.10 encrypts one cipher block per call, which makes one
// connection CPU-bound well below what the link and the server take. The first
// connection is the one start_upload() is given; the others are opened when the stream
// reaches them, and one that cannot be opened (a server that limits sessions) leaves
// the upload on those it has, with a warning. Memory: (connections + 1) chunks.
//
// An upload that is abandoned or fails removes its temporary file where the connection
// still allows; otherwise the next run's remove_incomplete_uploads() does.

#include <functional>
#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/sftp/sftp_files.hpp>
#include <volback/storage/sftp/ssh_connection.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::storage::sftp {

inline constexpr std::size_t k_upload_chunk_bytes = std::size_t{2} << 20;

// The connections an upload uses when SSH_UPLOAD_CONNECTIONS is unset: one per core, at
// most 4, and no more than the plan's part buffers hold with one chunk filling. At least 1.
unsigned planned_upload_connections(const util::MemoryPlan& plan, unsigned cores);

using ConnectFn = std::function<util::Result<std::unique_ptr<SshConnection>>()>;

// Makes the directories above `key` and the temporary file on `first`, and returns the
// sink. `connect` opens the further connections; `connections` is at least 1. `log` and
// `cancel` must outlive the sink.
util::Result<std::unique_ptr<UploadSink>> start_upload(std::unique_ptr<SshConnection> first, ConnectFn connect,
                                                       const Paths& paths, std::string key, unsigned connections,
                                                       util::Logger& log, const util::CancelToken& cancel);

}  // namespace volback::storage::sftp
