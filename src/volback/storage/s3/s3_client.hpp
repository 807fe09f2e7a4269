#pragma once
// The signed request layer of the S3 backend (internal to storage/s3): builds URLs for
// the configured addressing style, signs each attempt with SigV4, classifies S3's
// answers into error kinds and retries transient failures under the RetryPolicy.
// The keys come from a CredentialsProvider: the static ones, or the IAM role's from the
// instance metadata service when S3Settings::iam_role_endpoint is set; a session token
// goes out as x-amz-security-token, one of the signed headers.
//
// Error kinds, decided here from the HTTP status and S3's error code:
//   transient  5xx, 429, RequestTimeout, SlowDown, and the transport's own transient errors
//   auth       401/403 (AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId, ...)
//   not_found  404 (NoSuchBucket, NoSuchKey, NoSuchUpload)
//   permanent  everything else
// and, when the credentials cannot be had, the provider's error (imds.hpp).
// Messages name the operation, the HTTP status and S3's error code and message.
//
// Thread-safety: an S3Client may be shared by threads; each thread passes its own
// http::Transport (one per worker).

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/storage/http_time.hpp>
#include <volback/storage/s3/credentials_provider.hpp>
#include <volback/storage/s3/s3_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::s3 {

// Makes the transport of one thread. The `cancel` argument is the token its requests
// should stop at, or nullptr for an abort that must go out after cancellation.
using TransportFactory = std::function<std::unique_ptr<http::Transport>(const util::CancelToken* cancel)>;

struct S3Request {
  std::string method = "GET";
  std::string key;  // the full object key (AWS_S3_PATH included); empty: the bucket itself
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // signed, sent as given
  std::string body;                                          // a small body (XML)
  std::span<const std::byte> body_bytes;                     // a large body (a part); used when non-empty
  int body_fd = -1;  // or: the first body_size bytes of this file (a spilled part)
  std::uint64_t body_size = 0;
  std::string payload_sha256;  // of body_bytes or the file; computed for `body` when empty
};

class S3Client {
 public:
  // `settings`, `clock`, `cancel` and `log` must outlive the client. `transports`, when
  // given, also makes the instance metadata service's transport (tests).
  S3Client(const S3Settings& settings, const util::Clock& clock, const util::CancelToken& cancel, util::Logger& log,
           TransportFactory transports = {});

  const S3Settings& settings() const { return m_settings; }
  util::Logger& log() const { return m_log; }
  const util::CancelToken& cancel() const { return m_cancel; }

  enum class Cancellation { honour, ignore };

  // A transport with the endpoint's TLS options, for one thread. With
  // Cancellation::ignore the run's CancelToken does not interrupt its requests: for
  // aborting a multipart upload after the run was cancelled.
  std::unique_ptr<http::Transport> make_transport(Cancellation cancellation = Cancellation::honour) const;

  // The object key for a backend key: AWS_S3_PATH joined with `name` by '/'.
  std::string object_key(std::string_view name) const;

  // Sends `request` (retrying transient failures) and returns the 2xx response, or the
  // classified error. `what` names the operation in messages and logs ("UploadPart 3").
  // `stop`, when it becomes true, ends the retries early with a cancelled error.
  util::Result<http::Response> call(http::Transport& transport, const S3Request& request, std::string_view what,
                                    const std::atomic<bool>* stop = nullptr, const http::ResponseSink* sink = nullptr);

  // One attempt, with the response's status classified. No retry.
  util::Result<http::Response> call_once(http::Transport& transport, const S3Request& request, std::string_view what,
                                         const http::ResponseSink* sink = nullptr);

 private:
  std::string region() const;
  util::Result<http::Request> build(const S3Request& request, std::string_view region) const;

  const S3Settings& m_settings;
  const util::Clock& m_clock;
  const util::CancelToken& m_cancel;
  util::Logger& m_log;
  TransportFactory m_transports;
  std::unique_ptr<CredentialsProvider> m_credentials;
  mutable std::mutex m_mutex;
  std::optional<std::string> m_region;  // guarded by m_mutex; learned from the bucket
};

// Classifies a non-2xx S3 response. Pure.
util::Error classify_response(const http::Response& response, std::string_view what);

}  // namespace volback::storage::s3
