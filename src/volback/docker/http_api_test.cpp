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

TEST(DockerHost, RefusesUserInfoWithoutShowingIt) {
  for (const char* bad :
       {"tcp://u53r:p4ss@127.0.0.1:2375", "http://u53r@proxy:2375", "tcp://:p4ss@h:1", "ssh://u53r:p4ss@host"}) {
    auto parsed = parse_docker_host(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_EQ(parsed.error().message().find("u53r"), std::string::npos) << parsed.error().message();
    EXPECT_EQ(parsed.error().message().find("p4ss"), std::string::npos) << parsed.error().message();
  }
  EXPECT_EQ(parse_docker_host("tcp://u53r:p4ss@127.0.0.1:2375").error().message(),
            "invalid value \"tcp://***@127.0.0.1:2375\" for DOCKER_HOST: must not hold user info (user:password@): "
            "volback speaks plain HTTP to the Docker daemon, without credentials");
}

TEST(DockerHost, AnUnreachableDaemonIsTransient) {
  const util::CancelToken cancel;
  auto api =
    make_http_api(Endpoint{Endpoint::Kind::unix_socket, "/nonexistent/volback-test.sock"}, std::nullopt, cancel);
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().kind(), util::ErrorKind::transient);
}

}  // namespace
}  // namespace volback::docker
