#pragma once
// The WebDAV upload sink (internal to storage/webdav).
//
// begin creates the object's collection (MKCOL, each missing level) and starts one PUT
// of `<dir>/.volback-partial-<random>` on a thread of its own; write() feeds its body
// through a bounded pipe (4 MiB), so the archive streams: with Transfer-Encoding: chunked
// when its length is unknown, with Content-Length when PutOptions::size gives it.
// finish() ends the body, waits for the server's answer and MOVEs the temporary object
// to its name (Overwrite: T). A PUT that fails before its first byte was sent is
// retried; once bytes went out the stream cannot be replayed, so the upload fails.
// Destruction without a successful finish() stops the PUT and DELETEs the temporary
// object (best effort; remove_incomplete_uploads() removes what is left).

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/webdav/webdav_client.hpp>

namespace volback::storage::webdav {

// `client` must outlive the sink. `key` is valid (check_key).
util::Result<std::unique_ptr<UploadSink>> begin_webdav_upload(WebdavClient& client, std::string key,
                                                              const PutOptions& options);

}  // namespace volback::storage::webdav
