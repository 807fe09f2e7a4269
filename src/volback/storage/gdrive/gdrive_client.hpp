#pragma once
// The authorized request layer of the Google Drive backend (internal to storage/gdrive):
// access tokens from the service-account JWT grant (service_account.hpp), kept until a
// minute before they expire and fetched again then or when Drive answers 401 (a token
// revoked or expired early during a long run); the Bearer header on every request;
// replies read with a bound (gdrive_json.hpp); classification of the answers into error
// kinds; and retries of transient failures under the RetryPolicy, waiting at least what
// a Retry-After header asks (at most a minute).
//
// Error kinds, decided here from the HTTP status and Drive's error reason:
//   transient  5xx, 408, 429, 403 with reason rateLimitExceeded or userRateLimitExceeded,
//              and the transport's own transient errors
//   auth       401 (after one fresh token was tried), other 403s, and a refused token
//              request (400/401 from the token endpoint: invalid_grant, a bad signature)
//   not_found  404
//   permanent  everything else
// Messages name the operation and Drive's reason, never a token, the key or an upload
// session's URL.
//
// Thread-safety: a GdriveClient may be shared by threads (the token is guarded by a
// mutex); each thread passes its own transport.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/storage/gdrive/gdrive_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::gdrive {

// Makes the transport of one thread (tests pass fakes). `cancel` is the token its
// requests stop at, or nullptr for clean-ups that must go out after cancellation.
using TransportFactory = std::function<std::unique_ptr<http::Transport>(const util::CancelToken* cancel)>;

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct DriveRequest {
  std::string method = "GET";
  std::string url;  // absolute, query included (see url())
  std::vector<http::Header> headers;
  std::string body;                       // a small body (JSON)
  std::span<const std::byte> body_bytes;  // an upload chunk; used when non-empty
  bool empty_put = false;                 // a PUT with Content-Length: 0 (an upload's status query)
};

class GdriveClient {
 public:
  // `settings`, `clock`, `cancel` and `log` must outlive the client.
  GdriveClient(const GdriveSettings& settings, const util::Clock& clock, const util::CancelToken& cancel,
               util::Logger& log, TransportFactory transports = {});

  const GdriveSettings& settings() const { return m_settings; }
  util::Logger& log() const { return m_log; }
  const util::CancelToken& cancel() const { return m_cancel; }

  enum class Cancellation { honour, ignore };
  std::unique_ptr<http::Transport> make_transport(Cancellation cancellation = Cancellation::honour) const;

  // `base` (api_base or upload_base) + `path` + the encoded query.
  static std::string url(std::string_view base, std::string_view path, const QueryParams& query);

  // Sends `request` once with the current token; when Drive answers 401, once more with
  // a fresh one. Returns the answer whatever its status (the 401 of the second try too).
  util::Result<http::Response> send(http::Transport& transport, const DriveRequest& request,
                                    const http::ResponseSink* sink = nullptr);
  // send(), with a non-2xx answer turned into a classified error naming `what`.
  util::Result<http::Response> call_once(http::Transport& transport, const DriveRequest& request, std::string_view what,
                                         const http::ResponseSink* sink = nullptr);
  // call_once(), retrying transient failures (honouring Retry-After).
  util::Result<http::Response> call(http::Transport& transport, const DriveRequest& request, std::string_view what,
                                    const http::ResponseSink* sink = nullptr);

  // Waits what the Retry-After header of `response` asks, if any (seconds, at most 60),
  // waking early when the run is cancelled.
  void honour_retry_after(const http::Response& response) const;

  // A valid access token: the one held, or a new one from the token endpoint (retried
  // when transient). Errors: auth when the endpoint refuses the assertion.
  util::Result<std::string> token(http::Transport& transport);
  // Forgets `stale` (a token Drive refused), so that the next token() fetches another.
  void forget_token(const std::string& stale);

 private:
  util::Result<std::string> fetch_token(http::Transport& transport);
  http::Request build(const DriveRequest& request, const std::string& token) const;

  const GdriveSettings& m_settings;
  const util::Clock& m_clock;
  const util::CancelToken& m_cancel;
  util::Logger& m_log;
  TransportFactory m_transports;

  std::mutex m_token_mutex;
  std::string m_token;  // empty: none yet
  util::TimePoint m_token_refresh_at;
};

// Classifies a non-2xx answer of the Drive API. Pure.
util::Error classify_drive_response(const http::Response& response, std::string_view what);

}  // namespace volback::storage::gdrive
