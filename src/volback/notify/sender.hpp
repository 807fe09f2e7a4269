#pragma once
// Sending one notification to every configured service: each URL on a thread of its
// own, all at once, each with its own HTTP (or mail) transport, retrying transient
// errors (connection refused, timeouts, 429, 5xx) with backoff within a time budget.
// Nothing is thrown and nothing is logged here: the caller gets one result per service.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/notify/mail.hpp>
#include <volback/notify/service.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

struct SendResult {
  std::string service;               // Service::describe()
  std::optional<util::Error> error;  // nullopt: delivered
  int attempts = 0;
};

struct SenderOptions {
  std::chrono::milliseconds timeout{30'000};  // per service, all attempts together
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{1'000};  // doubles after each attempt
};

// Make the HTTP (or mail) transport of one attempt of one service's thread; `timeout` is
// what is left of SenderOptions::timeout, and bounds the attempt.
using TransportFactory =
  std::function<std::unique_ptr<http::Transport>(const Service& service, std::chrono::milliseconds timeout)>;
using MailTransportFactory = std::function<std::unique_ptr<MailTransport>(std::chrono::milliseconds timeout)>;

// The real transports: libcurl HTTP (verifying TLS unless the service says otherwise)
// and libcurl SMTP.
TransportFactory curl_transport_factory();
MailTransportFactory curl_mail_transport_factory();

// Sends `message` to each of `services` in parallel and returns their results, in
// order, once every one has finished or given up.
std::vector<SendResult> send_to_all(std::span<const std::shared_ptr<const Service>> services, const Message& message,
                                    const util::Clock& clock, const SenderOptions& options,
                                    const TransportFactory& make_transport, const MailTransportFactory& make_mail);

}  // namespace volback::notify
