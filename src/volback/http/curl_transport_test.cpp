#include <volback/http/transport.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::http {
namespace {

struct Received {
  std::string head;  // request line and headers
  std::string body;
};

// A tiny HTTP/1.1 server on 127.0.0.1 or a unix socket. Answers each request with
// respond(request) and keeps connections alive.
class TestServer {
 public:
  using Responder = std::function<std::string(const Received&)>;

  explicit TestServer(Responder respond, const std::string& unix_path = "") : m_respond(std::move(respond)) {
    if (unix_path.empty()) {
      m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      socklen_t len = sizeof addr;
      ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
      m_port = ntohs(addr.sin_port);
    } else {
      m_fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, unix_path.c_str(), sizeof addr.sun_path - 1);
      ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    ::listen(m_fd, 8);
    m_thread = std::thread([this] { serve(); });
  }
  ~TestServer() {
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }
  std::vector<Received> requests() {
    const std::lock_guard lock(m_mutex);
    return m_requests;
  }
  int connections() const { return m_connections; }

 private:
  void serve() {
    while (!m_stop) {
      const int c = ::accept(m_fd, nullptr, nullptr);
      if (c < 0) {
        return;
      }
      ++m_connections;
      handle(c);
      ::close(c);
    }
  }

  void handle(int c) {
    std::string buffer;
    char chunk[65536];
    while (true) {
      std::size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) {
          return;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      Received r;
      r.head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      std::size_t length = 0;
      if (const auto p = r.head.find("Content-Length: "); p != std::string::npos) {
        length = std::stoul(r.head.substr(p + 16));
      }
      while (buffer.size() < length) {
        const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) {
          return;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      r.body = buffer.substr(0, length);
      buffer.erase(0, length);
      const std::string reply = m_respond(r);
      {
        const std::lock_guard lock(m_mutex);
        m_requests.push_back(r);
      }
      if (reply.empty()) {
        return;  // drop the connection without answering
      }
      ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
    }
  }

  Responder m_respond;
  int m_fd = -1;
  int m_port = 0;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_connections{0};
  std::mutex m_mutex;
  std::vector<Received> m_requests;
};

std::string ok(const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

TEST(CurlTransportTest, GetWithHeadersAndKeepAlive) {
  TestServer server([](const Received&) { return ok("hello", "X-Thing: Value\r\n"); });
  auto transport = make_curl_transport({});
  for (int i = 0; i < 3; ++i) {
    auto response = transport->send({.method = "GET", .url = server.url("/a?b=c"), .headers = {{"X-Req", "1"}}});
    ASSERT_TRUE(response) << response.error().message();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
    EXPECT_EQ(response->header("x-THING"), "Value");
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_TRUE(requests[0].head.starts_with("GET /a?b=c HTTP/1.1"));
  EXPECT_NE(requests[0].head.find("X-Req: 1"), std::string::npos);
  EXPECT_EQ(server.connections(), 1) << "the connection is kept alive";
}

TEST(CurlTransportTest, PutAndPostSendTheirBodies) {
  TestServer server([](const Received& r) { return ok(r.body); });
  auto transport = make_curl_transport({});
  auto put = transport->send({.method = "PUT", .url = server.url("/k"), .body = "payload"});
  ASSERT_TRUE(put) << put.error().message();
  EXPECT_EQ(put->body, "payload");
  auto post = transport->send({.method = "POST", .url = server.url("/p"), .body = "{}"});
  ASSERT_TRUE(post);
  const auto requests = server.requests();
  EXPECT_TRUE(requests[1].head.starts_with("POST /p"));
  EXPECT_EQ(requests[1].body, "{}");
  EXPECT_EQ(requests[1].head.find("Expect"), std::string::npos);
}

TEST(CurlTransportTest, StreamsABodySourceAndIntoAResponseSink) {
  TestServer server([](const Received& r) { return ok(r.body); });
  auto transport = make_curl_transport({});
  const std::string data(3 << 20, 'q');
  std::size_t offset = 0;
  BodySource source;
  source.size = data.size();
  source.read = [&](std::span<std::byte> buffer) -> util::Result<std::size_t> {
    const std::size_t n = std::min(buffer.size(), data.size() - offset);
    std::memcpy(buffer.data(), data.data() + offset, n);
    offset += n;
    return n;
  };
  std::string received;
  const ResponseSink sink = [&](std::span<const std::byte> chunk) -> util::Result<void> {
    received.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  };
  auto response = transport->send({.method = "PUT", .url = server.url("/big"), .body_source = source}, &sink);
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_TRUE(response->body.empty());
  EXPECT_EQ(received, data);
}

TEST(CurlTransportTest, SinkAndSourceErrorsAreReturned) {
  TestServer server([](const Received&) { return ok("body"); });
  auto transport = make_curl_transport({});
  const ResponseSink sink = [](std::span<const std::byte>) -> util::Result<void> {
    return util::fail(util::ErrorKind::corrupt, "bad chunk");
  };
  auto response = transport->send({.url = server.url("/")}, &sink);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), util::ErrorKind::corrupt);

  BodySource source;
  source.size = 10;
  source.read = [](std::span<std::byte>) -> util::Result<std::size_t> {
    return util::fail(util::ErrorKind::cancelled, "stop");
  };
  auto put = transport->send({.method = "PUT", .url = server.url("/"), .body_source = source});
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind(), util::ErrorKind::cancelled);
}

TEST(CurlTransportTest, StatusCodesAreNotErrors) {
  TestServer server([](const Received&) { return "HTTP/1.1 503 Slow Down\r\nContent-Length: 4\r\n\r\nbusy"; });
  auto transport = make_curl_transport({});
  auto response = transport->send({.url = server.url("/")});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, "busy");
}

TEST(CurlTransportTest, ConnectionFailuresAreTransient) {
  std::string url;
  {
    TestServer server([](const Received&) { return ok(""); });
    url = server.url("/");
  }
  auto transport = make_curl_transport({});
  auto refused = transport->send({.url = url});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::transient);

  TestServer dropping([](const Received&) { return std::string(); });
  auto dropped = transport->send({.url = dropping.url("/")});
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().kind(), util::ErrorKind::transient);
}

TEST(CurlTransportTest, MalformedUrlIsInvalidArgument) {
  auto transport = make_curl_transport({});
  auto response = transport->send({.url = "ht!tp://"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), util::ErrorKind::invalid_argument);
}

TEST(CurlTransportTest, CancelAbortsTheRequest) {
  TestServer server([](const Received&) { return ok("x"); });
  util::CancelToken cancel;
  cancel.request();
  auto transport = make_curl_transport({.cancel = &cancel});
  auto response = transport->send({.url = server.url("/")});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), util::ErrorKind::cancelled);
}

TEST(CurlTransportTest, SpeaksOverAUnixSocket) {
  const volback::testing::TempDir dir("volback-http");
  const std::string socket_path = dir / "api.sock";
  TestServer server([](const Received& r) { return ok(r.head.substr(0, r.head.find('\r'))); }, socket_path);
  auto transport = make_curl_transport({.unix_socket = socket_path});
  auto response = transport->send({.url = "http://localhost/v1.41/info"});
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->body, "GET /v1.41/info HTTP/1.1");
}

TEST(UrlEncodeTest, KeepsUnreservedAndOptionallySlashes) {
  EXPECT_EQ(url_encode("a b/c~d_e.f-g", Slash::encode), "a%20b%2Fc~d_e.f-g");
  EXPECT_EQ(url_encode("dir/file name+x", Slash::keep), "dir/file%20name%2Bx");
  EXPECT_EQ(url_encode("\xc3\xbc", Slash::keep), "%C3%BC");
}

}  // namespace
}  // namespace volback::http
