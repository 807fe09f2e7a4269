#pragma once
// The Dropbox upload sink (internal to storage/dropbox).
//
// Bytes collect in 4 MiB chunks (Dropbox wants every append of a concurrent session but
// the last in multiples of 4 MiB). An archive that ends within its first chunk goes up as
// one files/upload. Otherwise an upload session is started (files/upload_session/start,
// session_type concurrent when DROPBOX_CONCURRENCY_LEVEL > 1, sequential otherwise), full
// chunks go to up to DROPBOX_CONCURRENCY_LEVEL worker threads as append_v2 at their
// offsets, and finish() waits for them, sends the last chunk with close=true, and commits
// the session to the final path with upload_session/finish (mode overwrite). write()
// blocks while the chunks held (filling, queued and in flight) would exceed the memory
// plan's part buffers (at least two chunks), so memory stays bounded.
//
// Nothing is visible under the final path before finish() commits: an abandoned session
// holds its bytes out of sight until Dropbox discards it (after 7 days), so destruction
// without finish() only stops the workers.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/dropbox/dropbox_client.hpp>

namespace volback::storage::dropbox {

inline constexpr std::uint64_t k_chunk_bytes = std::uint64_t{4} << 20;

// `client` must outlive the sink. `key` is valid (check_key).
std::unique_ptr<UploadSink> make_dropbox_upload(DropboxClient& client, std::string key);

}  // namespace volback::storage::dropbox
