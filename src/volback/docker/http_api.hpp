#pragma once
// The real docker::Api: the Engine API over HTTP, through a unix socket or TCP
// (DOCKER_HOST=tcp://host:port: plain HTTP, e.g. a socket proxy, or HTTPS with client
// certificates as Docker's DOCKER_CERT_PATH and DOCKER_TLS_VERIFY configure it).

#include <memory>
#include <optional>
#include <string>

#include <volback/docker/api.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::docker {

// TLS to a tcp:// daemon, from DOCKER_CERT_PATH's ca.pem, cert.pem and key.pem.
struct EndpointTls {
  std::string ca_file;    // the CA that signed the daemon's certificate
  std::string cert_file;  // volback's client certificate
  std::string key_file;   // its private key
  bool verify = true;     // DOCKER_TLS_VERIFY: check the daemon's certificate and name
};

struct Endpoint {
  enum class Kind { unix_socket, tcp };
  Kind kind = Kind::unix_socket;
  std::string address;               // the socket path, or "host:port"
  std::optional<EndpointTls> tls{};  // tcp only: HTTPS instead of HTTP

  // "unix:///var/run/docker.sock", "tcp://127.0.0.1:2375", "tcp://host:2376 (TLS)"
  std::string describe() const;
};

// Parses a DOCKER_HOST value: unix:///path, tcp://host:port (or http://host:port).
// invalid_argument for anything else (ssh://, npipe://, a missing port, user info such
// as tcp://user:pass@host:2375); the message shows the value without its user info.
util::Result<Endpoint> parse_docker_host(std::string_view value);

// Connects to the daemon and negotiates the API version (api_version.hpp): asks
// /_ping, falls back to /version. `api_version_override` is DOCKER_API_VERSION.
// `cancel` must outlive the Api. Errors: transient when the daemon does not answer,
// invalid_argument for a bad DOCKER_API_VERSION.
// Thread-safety: exec() may be called from several threads at once (each call uses its
// own connection); every other call from one thread at a time.
util::Result<std::unique_ptr<Api>> make_http_api(const Endpoint& endpoint,
                                                 std::optional<std::string> api_version_override,
                                                 const util::CancelToken& cancel);

}  // namespace volback::docker
