#pragma once
// storage/s3: the "S3" backend, any S3-compatible object store (AWS, Hetzner, MinIO,
// Swift's s3api, ...).
//
// Objects are `<AWS_S3_PATH>/<key>` in the bucket. Uploads stream: a small archive goes up
// as one PUT, a larger one as a multipart upload with parts in flight on several
// connections, bounded part-buffer memory and per-request retries of transient errors
// (see s3_upload.hpp, part_schedule.hpp, retry_policy.hpp). Nothing is visible before
// finish() succeeds; a failed or abandoned upload is aborted, and when the server cannot
// be reached for that, its ID is recorded in the state directory and aborted by the next
// run's remove_incomplete_uploads(), which also aborts any incomplete upload under the
// backend's prefix older than a day.
//
// list() pages through ListObjectsV2 (recursive, a string prefix, as offen); keys are
// returned relative to AWS_S3_PATH and ObjectInfo::modified is LastModified.
// remove_many() uses DeleteObjects, 1000 keys a request. preflight() lists at most one
// key of the prefix.
//
// Error kinds follow s3_client.hpp: transient, auth, not_found, permanent, cancelled.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/s3/s3_client.hpp>
#include <volback/storage/s3/s3_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::s3 {

struct S3Context {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  std::string state_dir;             // where unabortable upload IDs are recorded; empty: nowhere
  std::string spill_dir;             // where parts larger than the part-buffer limit are staged (VOLBACK_SPOOL_DIR)
  TransportFactory transports = {};  // empty: libcurl with the endpoint's TLS options; tests pass fakes
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it. Thread-safety: the backend
// may be used from several threads; each UploadSink by one thread at a time.
std::unique_ptr<storage::Backend> make_s3_backend(S3Settings settings, S3Context context);

}  // namespace volback::storage::s3
