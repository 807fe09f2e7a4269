#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <gtest/gtest.h>

#include <volback/notify/mail.hpp>

namespace volback::notify {
namespace {

using namespace std::chrono_literals;

// A server that takes connections (the kernel's backlog) and never says a word: an SMTP
// client waits for the greeting until its timeout.
class SilentServer {
 public:
  SilentServer() : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 && ::listen(m_fd, 4) == 0 &&
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      m_port = ntohs(addr.sin_port);
    }
  }
  ~SilentServer() { ::close(m_fd); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return m_port; }

 private:
  int m_fd;
  int m_port = 0;
};

// One mail to a server that never answers; how long the transport took to give up.
std::chrono::steady_clock::duration send_unanswered(MailTransport& transport, const SilentServer& server,
                                                    std::chrono::milliseconds server_timeout,
                                                    util::Result<void>& sent) {
  const SmtpServer smtp{
    .host = "127.0.0.1", .port = server.port(), .security = SmtpSecurity::none, .timeout = server_timeout};
  const auto start = std::chrono::steady_clock::now();
  sent = transport.send(smtp, {"a@example.com", {"b@example.com"}}, "Subject: x\r\n\r\nbody\r\n");
  return std::chrono::steady_clock::now() - start;
}

// Each mail waits at most the lesser of the URL's timeout and what is left of
// VOLBACK_NOTIFY_TIMEOUT's budget.
TEST(CurlMailTransport, WaitsAtMostTheServersTimeoutOrTheBudget) {
  SilentServer server;
  ASSERT_NE(server.port(), 0);
  util::Result<void> sent;
  // The URL's timeout within a long budget.
  EXPECT_LT(send_unanswered(*make_curl_mail_transport(60s), server, 300ms, sent), 5s);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind(), util::ErrorKind::transient) << sent.error().message();

  // The URL's timeout alone would wait 20 s; the budget is 500 ms.
  auto transport = make_curl_mail_transport(500ms);
  EXPECT_LT(send_unanswered(*transport, server, 20s, sent), 5s);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind(), util::ErrorKind::transient) << sent.error().message();
  EXPECT_NE(sent.error().message().find("notification timeout"), std::string::npos) << sent.error().message();

  // The budget is spent: a second mail of the same attempt fails at once.
  EXPECT_LT(send_unanswered(*transport, server, 20s, sent), 100ms);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message().find("notification timeout"), std::string::npos) << sent.error().message();
}

}  // namespace
}  // namespace volback::notify
