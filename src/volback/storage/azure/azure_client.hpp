#pragma once
// The signed request layer of the Azure Blob backend (internal to storage/azure): URLs
// of the container and its blobs, Shared Key signing of every attempt (shared_key.hpp),
// classification of the service's answers into error kinds, and retries of transient
// failures under the RetryPolicy.
//
// Error kinds, decided here from the HTTP status and Azure's error code:
//   transient  5xx, 408, 429 (ServerBusy, OperationTimedOut, InternalError), and the
//              transport's own transient errors
//   auth       401, 403 (AuthenticationFailed, AuthorizationFailure, ...)
//   not_found  404 (ContainerNotFound, BlobNotFound)
//   permanent  everything else
//
// Thread-safety: an AzureClient may be shared by threads; each passes its own transport.

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/storage/azure/azure_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::azure {

// Makes the transport of one thread (tests pass fakes). `cancel` is the token its
// requests stop at, or nullptr for clean-ups that must go out after cancellation.
using TransportFactory = std::function<std::unique_ptr<http::Transport>(const util::CancelToken* cancel)>;

struct AzureRequest {
  std::string method = "GET";
  std::string blob;  // the full blob name (AZURE_STORAGE_PATH included); empty: the container
  std::vector<std::pair<std::string, std::string>> query;    // decoded
  std::vector<std::pair<std::string, std::string>> headers;  // signed, sent as given
  std::string body;                                          // a small body (XML)
  std::span<const std::byte> body_bytes;                     // a block; used when non-empty
};

class AzureClient {
 public:
  // `settings`, `clock`, `cancel` and `log` must outlive the client.
  AzureClient(const AzureSettings& settings, const util::Clock& clock, const util::CancelToken& cancel,
              util::Logger& log, TransportFactory transports = {});

  const AzureSettings& settings() const { return m_settings; }
  util::Logger& log() const { return m_log; }
  const util::CancelToken& cancel() const { return m_cancel; }

  enum class Cancellation { honour, ignore };
  std::unique_ptr<http::Transport> make_transport(Cancellation cancellation = Cancellation::honour) const;

  // The blob name of a backend key: AZURE_STORAGE_PATH joined with `key` by '/'.
  std::string blob_name(std::string_view key) const;

  // Sends `request` once; a non-2xx answer is a classified error naming `what`.
  util::Result<http::Response> call_once(http::Transport& transport, const AzureRequest& request, std::string_view what,
                                         const http::ResponseSink* sink = nullptr);
  // The same, retrying transient failures; `stop` ends the retries early.
  util::Result<http::Response> call(http::Transport& transport, const AzureRequest& request, std::string_view what,
                                    const std::atomic<bool>* stop = nullptr, const http::ResponseSink* sink = nullptr);

 private:
  http::Request build(const AzureRequest& request) const;

  const AzureSettings& m_settings;
  const util::Clock& m_clock;
  const util::CancelToken& m_cancel;
  util::Logger& m_log;
  TransportFactory m_transports;
};

// Classifies a non-2xx answer. Pure.
util::Error classify_response(const http::Response& response, std::string_view what);

}  // namespace volback::storage::azure
