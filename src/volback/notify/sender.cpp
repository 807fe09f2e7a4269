#include <volback/notify/sender.hpp>

#include <algorithm>
#include <thread>

namespace volback::notify {

namespace {

SendResult send_one(const Service& service, const Message& message, const util::Clock& clock,
                    const SenderOptions& options, const TransportFactory& make_transport,
                    const MailTransportFactory& make_mail) {
  SendResult result{service.describe(), std::nullopt, 0};
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  auto backoff = options.first_backoff;
  while (true) {
    const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto budget = std::max(left, std::chrono::milliseconds(1000));
    auto transport = make_transport(service, budget);
    auto mail = make_mail(budget);
    SendContext context{*transport, *mail, clock};
    ++result.attempts;
    auto sent = service.send(message, context);
    if (sent) {
      result.error.reset();
      return result;
    }
    result.error = sent.error();
    if (sent.error().kind() != util::ErrorKind::transient || result.attempts >= options.max_attempts ||
        std::chrono::steady_clock::now() + backoff >= deadline) {
      return result;
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

}  // namespace

TransportFactory curl_transport_factory() {
  return [](const Service& service, std::chrono::milliseconds timeout) {
    http::TransportOptions options;
    options.verify_tls = service.verify_tls();
    options.timeout = timeout;
    options.connect_timeout = std::min(timeout, std::chrono::milliseconds(10'000));
    options.stall_timeout = std::chrono::seconds(15);
    return http::make_curl_transport(options);
  };
}

MailTransportFactory curl_mail_transport_factory() {
  return [](std::chrono::milliseconds timeout) { return make_curl_mail_transport(timeout); };
}

std::vector<SendResult> send_to_all(std::span<const std::shared_ptr<const Service>> services, const Message& message,
                                    const util::Clock& clock, const SenderOptions& options,
                                    const TransportFactory& make_transport, const MailTransportFactory& make_mail) {
  std::vector<SendResult> results(services.size());
  std::vector<std::thread> threads;
  threads.reserve(services.size());
  for (std::size_t i = 0; i < services.size(); ++i) {
    threads.emplace_back(
      [&, i] { results[i] = send_one(*services[i], message, clock, options, make_transport, make_mail); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  return results;
}

}  // namespace volback::notify
