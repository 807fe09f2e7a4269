#pragma once
// The request layer of the WebDAV backend (internal to storage/webdav): URLs below the
// configured base, authentication, classification of the server's answers into error
// kinds, retries under the RetryPolicy, and the collection and PROPFIND helpers.
//
// Error kinds, decided here from the HTTP status:
//   transient  5xx (but 507), 408, 423, 429, and the transport's own transient errors
//   auth       401, 403
//   not_found  404, 409 (a missing parent collection)
//   permanent  everything else (507 Insufficient Storage among them)
//
// Paths: `rel` arguments are paths below the base ("" is the base itself, "a/b.tar.gz"),
// unencoded; the client percent-encodes each segment.
//
// Thread-safety: a WebdavClient may be shared by threads; each thread passes its own
// http::Transport.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/storage/webdav/webdav_settings.hpp>
#include <volback/storage/webdav/webdav_xml.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::webdav {

// Makes the transport of one thread with the given options (tests pass fakes).
using TransportFactory = std::function<std::unique_ptr<http::Transport>(http::TransportOptions options)>;

class WebdavClient {
 public:
  // `settings`, `cancel` and `log` must outlive the client.
  WebdavClient(const WebdavSettings& settings, const util::CancelToken& cancel, util::Logger& log,
               TransportFactory transports = {});

  const WebdavSettings& settings() const { return m_settings; }
  util::Logger& log() const { return m_log; }
  const util::CancelToken& cancel() const { return m_cancel; }

  enum class Cancellation { honour, ignore };

  // A transport with the server's TLS options and the credentials, for one thread (the
  // first one asks the server which authentication it wants). With
  // Cancellation::ignore the run's CancelToken does not interrupt it (for cleaning up
  // after a cancelled upload).
  std::unique_ptr<http::Transport> make_transport(Cancellation cancellation = Cancellation::honour) const;

  // The absolute URL of `rel` below the base.
  std::string url(std::string_view rel) const;
  // The decoded absolute path of `rel` below the base ("/dav/backups/a").
  std::string path(std::string_view rel) const;

  // Sends `request` once; a status outside 2xx is a classified error naming `what`.
  util::Result<http::Response> call_once(http::Transport& transport, const http::Request& request,
                                         std::string_view what, const http::ResponseSink* sink = nullptr);
  // The same, retrying transient failures.
  util::Result<http::Response> call(http::Transport& transport, const http::Request& request, std::string_view what,
                                    const http::ResponseSink* sink = nullptr);

  // PROPFIND with Depth 0 or 1 on `rel`. Errors: not_found when it does not exist.
  util::Result<std::vector<DavEntry>> propfind(http::Transport& transport, std::string_view rel, int depth);

  // Creates the collection `rel_dir` and every missing one above it (down from the base's
  // root); remembers what exists so later uploads skip the requests.
  util::Result<void> make_collections(http::Transport& transport, std::string_view rel_dir);

 private:
  const WebdavSettings& m_settings;
  const util::CancelToken& m_cancel;
  util::Logger& m_log;
  TransportFactory m_transports;
  // The scheme the server asks for, learned from its first answer without credentials,
  // so that basic credentials go with every request and digest is answered directly.
  http::AuthScheme auth_scheme() const;

  mutable std::mutex m_mutex;
  std::set<std::string> m_existing;                  // guarded by m_mutex: collections known to exist (decoded paths)
  mutable std::optional<http::AuthScheme> m_scheme;  // guarded by m_mutex
};

// Classifies a non-2xx WebDAV answer. Pure.
util::Error classify_response(const http::Response& response, std::string_view what);

}  // namespace volback::storage::webdav
