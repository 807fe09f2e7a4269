#pragma once
// HTTP/1.1 client transport, with no knowledge of any cloud or Docker API.
//
// A Transport sends one request at a time and keeps its connection alive between
// requests. It speaks TCP (http, https) or a unix socket (Docker's API socket). HTTP
// status codes are not errors here: the caller reads Response::status and classifies
// them where it knows what they mean. Errors are the transport's own:
//   transient         connection refused or reset, timeouts, DNS failures, a cut body
//   permanent         TLS verification failures and other configuration problems
//   invalid_argument  a malformed URL
//   cancelled         the CancelToken fired during the request
// plus whatever error a request body source or response body sink returned.
//
// Thread-safety: a Transport is used by one thread at a time; make one per worker.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::http {

struct Header {
  std::string name;
  std::string value;
};

// Produces the request body piece by piece: fills the buffer and returns the count, 0
// at the end. May be called again from the start if the transport must resend (it
// then calls `rewind` first; without `rewind` such a request fails instead).
struct BodySource {
  std::function<util::Result<std::size_t>(std::span<std::byte> buffer)> read;
  std::function<util::Result<void>()> rewind;
  std::uint64_t size = 0;  // sent as Content-Length
  // The length is not known in advance: the body goes with Transfer-Encoding: chunked
  // (HTTP/1.1) and `size` is ignored.
  bool chunked = false;
};

// A body of bytes the caller keeps alive until the request is sent (an upload part),
// rewindable for a resend.
BodySource bytes_body(std::span<const std::byte> bytes);

struct Request {
  std::string method = "GET";
  std::string url;              // absolute: "https://host/bucket/key?uploads", "http://localhost/v1.41/info"
  std::vector<Header> headers;  // sent as given; Content-Length is added for bodies; no
                                // "Expect: 100-continue" unless given here
  std::string body;             // used when body_source is not set
  std::optional<BodySource> body_source;
};

struct Response {
  long status = 0;
  std::vector<Header> headers;  // names lower-cased, in arrival order
  std::string body;             // empty when a ResponseSink consumed it

  // The value of the first header with this (case-insensitive) name.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Receives the response body in chunks instead of Response::body; called only for
// the final response's body. An error aborts the transfer and is returned by send().
using ResponseSink = std::function<util::Result<void>(std::span<const std::byte> chunk)>;

// HTTP authentication with a user name and password (WebDAV).
enum class AuthScheme {
  basic,   // sent with every request
  digest,  // RFC 7616: libcurl answers the server's challenge (one extra round trip)
  any,     // whichever of the two the server asks for (one extra round trip)
};

struct HttpAuth {
  std::string username;
  std::string password;
  AuthScheme scheme = AuthScheme::any;
};

struct TransportOptions {
  std::optional<std::string> unix_socket;       // connect through this socket instead of TCP
  bool verify_tls = true;                       // verify the server's certificate and name
  std::optional<std::string> ca_file;           // trust these CAs (PEM file) instead of the system's
  std::optional<std::string> ca_pem;            // trust these CAs (PEM text) instead of the system's
  std::optional<std::string> client_cert_file;  // present this certificate (PEM) to the server
  std::optional<std::string> client_key_file;   // the client certificate's private key (PEM)
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{0};  // for a whole request; 0 = none
  // A transfer slower than 1 byte/s for this long counts as a timeout (transient).
  std::chrono::seconds stall_timeout{60};
  const util::CancelToken* cancel = nullptr;  // not owned; must outlive the transport
  std::optional<HttpAuth> auth;               // credentials for every request
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends `request` and waits for the complete response. With `sink`, the body goes
  // there instead of into Response::body.
  virtual util::Result<Response> send(const Request& request, const ResponseSink* sink = nullptr) = 0;
};

// The libcurl implementation.
std::unique_ptr<Transport> make_curl_transport(TransportOptions options);

enum class Slash { encode, keep };

// Percent-encodes every byte except the RFC 3986 unreserved characters
// (A–Z a–z 0–9 - . _ ~); with Slash::keep, '/' is kept too (for paths). Pure.
std::string url_encode(std::string_view text, Slash slash);

}  // namespace volback::http
