#pragma once
// A notification service: one configured URL of NOTIFICATION_URLS (services.hpp parses
// them) that sends a title and a body the way that service's API expects. Each service
// makes its HTTP requests through the http::Transport it is given (or, for smtp://, the
// MailTransport), so tests check every request against a fake.
//
// A service never puts a secret (token, password, webhook path) in describe() or in an
// error message.

#include <chrono>
#include <string>
#include <string_view>

#include <volback/http/transport.hpp>
#include <volback/notify/mail.hpp>
#include <volback/notify/message.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// What a service uses to send; all must outlive the call.
struct SendContext {
  http::Transport& http;
  MailTransport& mail;
  const util::Clock& clock;
};

class Service {
 public:
  virtual ~Service() = default;

  // The scheme, as the service is named in NOTIFICATION_URLS ("slack").
  virtual std::string_view scheme() const = 0;

  // Where it sends, without any secret: "slack webhook", "gotify at push.example.com".
  virtual std::string describe() const = 0;

  // Whether the http::Transport given to send() must verify TLS certificates (false
  // when the URL asks for it: insecureskipverify, disabletlsverification).
  virtual bool verify_tls() const { return true; }

  // Sends one message: one or more requests. Errors: the transport's, and for HTTP
  // statuses transient (429, 5xx), auth (401, 403) or permanent (other 4xx and failed
  // replies of the API). Safe to call again after a transient error.
  virtual util::Result<void> send(const Message& message, SendContext& context) const = 0;
};

}  // namespace volback::notify
