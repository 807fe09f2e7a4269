#include <volback/app/monitor/metrics_server.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

TEST(MetricsServerTest, Responses) {
  const auto render = [] { return std::string("volback_x 1\n"); };
  const auto ok = metrics_response("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", render);
  EXPECT_TRUE(ok.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  EXPECT_TRUE(ok.ends_with("\r\n\r\nvolback_x 1\n"));
  EXPECT_TRUE(metrics_response("GET / HTTP/1.1\r\n\r\n", render).starts_with("HTTP/1.1 404"));
  EXPECT_TRUE(metrics_response("POST /metrics HTTP/1.1\r\n\r\n", render).starts_with("HTTP/1.1 405"));
  EXPECT_TRUE(metrics_response("garbage", render).starts_with("HTTP/1.1 400"));
}

TEST(MetricsServerTest, ServesOnASocket) {
  util::CapturingLogger log;
  auto server = MetricsServer::start(
    {"127.0.0.1", 0}, [] { return std::string("volback_y 2\n"); }, log);
  ASSERT_TRUE(server) << server.error().message();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>((*server)->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[512];
  ssize_t n = 0;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
    response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response;
  EXPECT_TRUE(response.ends_with("volback_y 2\n"));
}

TEST(MetricsServerTest, PortInUseIsAnError) {
  util::CapturingLogger log;
  auto first = MetricsServer::start(
    {"127.0.0.1", 0}, [] { return std::string(); }, log);
  ASSERT_TRUE(first);
  auto second = MetricsServer::start(
    {"127.0.0.1", (*first)->port()}, [] { return std::string(); }, log);
  EXPECT_FALSE(second);
}

}  // namespace
}  // namespace volback::app
