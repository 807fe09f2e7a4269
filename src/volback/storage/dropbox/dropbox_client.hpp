#pragma once
// The request layer of the Dropbox backend (internal to storage/dropbox): RPC calls
// (a JSON argument as the body) and content calls (the argument in the Dropbox-API-Arg
// header, the file's bytes as an application/octet-stream body or the answer), each with
// the current OAuth2 access token (dropbox_token.hpp), classified into error kinds and
// retried when transient under the RetryPolicy.
//
// Error kinds, decided here from the HTTP status and Dropbox's error reply:
//   transient  429 and 5xx (a 429's Retry-After, or the reply's retry_after, is waited for
//              first, at most a minute), 401 expired_access_token (the token is refreshed
//              before the retry), and the transport's transient errors
//   auth       other 401s, 403, a refused token refresh
//   not_found  409 whose error summary says not_found (path/not_found, path_lookup/...)
//   permanent  400, other 409s, anything else
// The message names the call and carries Dropbox's error_summary, never a token.
//
// Thread-safety: a DropboxClient may be shared by threads; each passes its own transport.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <volback/http/transport.hpp>
#include <volback/storage/dropbox/dropbox_settings.hpp>
#include <volback/storage/dropbox/dropbox_token.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::dropbox {

// Makes the transport of one thread (tests pass fakes). `cancel` is the token its
// requests stop at, or nullptr.
using TransportFactory = std::function<std::unique_ptr<http::Transport>(const util::CancelToken* cancel)>;

struct DropboxCall {
  enum class Host { api, content };
  Host host = Host::api;
  std::string route;                  // "files/list_folder", "files/upload_session/append_v2"
  std::string arg;                    // the JSON argument
  std::span<const std::byte> upload;  // a content upload's bytes
  // A download's byte range [first, last], sent as a Range header.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> range;
  // An append's end offset: a 409 incorrect_offset answer whose correct_offset is this
  // says an earlier attempt of the same append arrived and only its answer was lost, so
  // the call succeeded.
  std::optional<std::uint64_t> done_at_offset;
};

class DropboxClient {
 public:
  // `settings`, `cancel` and `log` must outlive the client.
  DropboxClient(const DropboxSettings& settings, const util::CancelToken& cancel, util::Logger& log,
                TransportFactory transports = {});

  const DropboxSettings& settings() const { return m_settings; }
  util::Logger& log() const { return m_log; }
  const util::CancelToken& cancel() const { return m_cancel; }

  std::unique_ptr<http::Transport> make_transport() const;

  // The Dropbox path of a backend key: DROPBOX_REMOTE_PATH joined with `key` by '/'.
  std::string path_of(std::string_view key) const;

  // Sends `call` once; a non-2xx answer is a classified error naming `what`.
  util::Result<http::Response> call_once(http::Transport& transport, const DropboxCall& call, std::string_view what,
                                         const std::atomic<bool>* stop = nullptr);
  // The same, retrying transient failures; `stop` ends the retries early.
  util::Result<http::Response> call(http::Transport& transport, const DropboxCall& call, std::string_view what,
                                    const std::atomic<bool>* stop = nullptr);

 private:
  const DropboxSettings& m_settings;
  const util::CancelToken& m_cancel;
  util::Logger& m_log;
  TransportFactory m_transports;
  AccessToken m_token;
};

// Classifies a non-2xx answer (without the expired-token and Retry-After handling). Pure.
util::Error classify_response(const http::Response& response, std::string_view what);

}  // namespace volback::storage::dropbox
