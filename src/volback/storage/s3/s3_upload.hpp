#pragma once
// The S3 upload sink (internal to storage/s3).
//
// Bytes collect in a part buffer. If finish() comes before the first part is full the
// object goes up as one PUT. Otherwise the first full part starts a multipart upload and
// parts go to up to `concurrency` worker threads, each with its own transport. Part
// sizes follow PartSchedule; write() blocks while the buffers held (filling, queued and
// in flight) would exceed the part-buffer limit, so memory stays bounded and large parts
// mean fewer in flight; a part larger than the whole limit is staged in a temporary file.
// Each part carries Content-MD5 and its SHA-256 as the signed
// payload hash. A failed part fails the upload; finish() completes it; destruction
// without a successful finish() stops the workers and aborts the multipart upload, and
// when the abort cannot reach the server the upload ID goes to the stale-upload journal.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/s3/s3_client.hpp>
#include <volback/storage/stale_uploads.hpp>

namespace volback::storage::s3 {

// `client` and `journal` must outlive the sink. `name` is the backend key. Parts larger
// than the whole part-buffer limit are staged in unlinked temporary files in `spill_dir`
// (at most two at a time); with an empty `spill_dir` they are held in memory.
std::unique_ptr<UploadSink> make_s3_upload(S3Client& client, const StaleUploadJournal& journal, std::string name,
                                           const PutOptions& options, std::string spill_dir);

}  // namespace volback::storage::s3
