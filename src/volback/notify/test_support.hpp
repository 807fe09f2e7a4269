#pragma once
// Test doubles for the services: an HTTP transport and a mail transport that record what
// they are asked to send and answer from a script.

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/notify/mail.hpp>
#include <volback/notify/service.hpp>
#include <volback/util/clock.hpp>

namespace volback::notify::testing {

class FakeTransport final : public http::Transport {
 public:
  // Answers queued with reply() are used in order; then `fallback` (200, empty body).
  void reply(long status, std::string body = "") { m_replies.push_back(http::Response{status, {}, std::move(body)}); }
  void fail(util::Error error) { m_errors.push_back(std::move(error)); }

  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* = nullptr) override {
    requests.push_back(request);
    if (!m_errors.empty()) {
      auto error = m_errors.front();
      m_errors.pop_front();
      return util::fail(std::move(error));
    }
    if (m_replies.empty()) {
      return http::Response{200, {}, ""};
    }
    auto response = m_replies.front();
    m_replies.pop_front();
    return response;
  }

  std::vector<http::Request> requests;

 private:
  std::deque<http::Response> m_replies;
  std::deque<util::Error> m_errors;
};

class FakeMail final : public MailTransport {
 public:
  struct Sent {
    SmtpServer server;
    MailEnvelope envelope;
    std::string message;
  };
  util::Result<void> send(const SmtpServer& server, const MailEnvelope& envelope, const std::string& message) override {
    sent.push_back({server, envelope, message});
    return {};
  }
  std::vector<Sent> sent;
};

inline std::string header(const http::Request& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (h.name == name) {
      return h.value;
    }
  }
  return "<none>";
}

}  // namespace volback::notify::testing
