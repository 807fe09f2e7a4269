#pragma once
// The Google Drive upload sink: a resumable upload (internal to storage/gdrive).
//
// The session is opened (POST upload/drive/v3/files?uploadType=resumable with the name
// and the parent folder) when the first chunk is full, or by finish() for a small file.
// Bytes collect in one buffer of GOOGLE_DRIVE_CHUNK_SIZE; a full buffer goes up as one
// PUT to the session with "Content-Range: bytes a-b/*" (a multiple of 256 KiB, as Drive
// requires of every chunk but the last), and finish() sends the rest with the total
// ("bytes a-b/N", or "bytes */N" when nothing is left). Drive answers 308 with the
// bytes it holds ("Range: bytes=0-k"); what it has not taken stays in the buffer and
// goes with the next request, so the buffer is the resend window and memory stays at
// one chunk.
//
// A dropped connection, a timeout, 429 or 5xx: after the backoff (and at least what
// Retry-After asks) the session's status is queried ("Content-Range: bytes */*" or
// "*/N") and the upload resumes from the offset Drive reports, within the retry policy's
// budget. A session Drive no longer knows (404, 410) fails the upload.
//
// The file appears in the folder only when Drive has all of it (finish()): that is
// how resumable sessions work. Destruction without a successful finish() cancels the
// session (DELETE on its URL). After finish(), other files of the same name in the
// folder (older uploads of the key) are deleted: an upload replaces, as on every backend.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/gdrive/gdrive_client.hpp>

namespace volback::storage::gdrive {

// `client` must outlive the sink. `key` is valid (check_key).
std::unique_ptr<UploadSink> make_gdrive_upload(GdriveClient& client, std::string key, const PutOptions& options);

// The first offset Drive does not hold, from a 308's Range header ("bytes=0-k" → k+1;
// none → 0). nullopt when the header is malformed. Pure.
std::optional<std::uint64_t> resume_offset(const http::Response& response);

}  // namespace volback::storage::gdrive
