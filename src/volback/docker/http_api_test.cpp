#include <volback/docker/http_api.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

TEST(DockerHost, UnixAndTcp) {
  auto unix_socket = parse_docker_host("unix:///var/run/docker.sock");
  ASSERT_TRUE(unix_socket);
  EXPECT_EQ(unix_socket->kind, Endpoint::Kind::unix_socket);
  EXPECT_EQ(unix_socket->address, "/var/run/docker.sock");
  auto tcp = parse_docker_host("tcp://docker-socket-proxy:2375");
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->kind, Endpoint::Kind::tcp);
  EXPECT_EQ(tcp->address, "docker-socket-proxy:2375");
  EXPECT_EQ(tcp->describe(), "tcp://docker-socket-proxy:2375");
  EXPECT_EQ(parse_docker_host("tcp://127.0.0.1:2375/")->address, "127.0.0.1:2375");
}

TEST(DockerHost, RefusesWhatVolbackCannotSpeak) {
  for (const char* bad : {"ssh://user@host", "npipe:////./pipe/docker_engine", "tcp://host", "unix://relative.sock",
                          "docker.sock", "tcp://:"}) {
    auto parsed = parse_docker_host(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find("DOCKER_HOST"), std::string::npos);
  }
}

TEST(DockerHost, AnUnreachableDaemonIsTransient) {
  const util::CancelToken cancel;
  auto api = make_http_api(Endpoint{Endpoint::Kind::unix_socket, "/nonexistent/volback-test.sock"}, std::nullopt,
                           cancel);
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().kind(), util::ErrorKind::transient);
}

}  // namespace
}  // namespace volback::docker
