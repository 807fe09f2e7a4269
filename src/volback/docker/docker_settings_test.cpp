#include <volback/docker/docker_settings.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::docker {
namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

util::Result<DockerSettings> parse(Vars vars) {
  const util::MapSource env(std::move(vars), "environment");
  return parse_docker_settings(util::Settings({&env}));
}

class DockerTlsSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"ca.pem", "cert.pem", "key.pem"}) {
      std::ofstream(m_dir.path() + "/" + name) << "-----BEGIN X-----\n";
    }
  }
  volback::testing::TempDir m_dir{"volback-docker-tls"};
};

TEST_F(DockerTlsSettings, CertPathAndVerifyGiveTheThreeFiles) {
  auto settings =
    parse({{"DOCKER_HOST", "tcp://127.0.0.1:2376"}, {"DOCKER_CERT_PATH", m_dir.path()}, {"DOCKER_TLS_VERIFY", "1"}});
  ASSERT_TRUE(settings) << settings.error().message();
  ASSERT_TRUE(settings->tls);
  EXPECT_EQ(settings->tls->ca_file, m_dir.path() + "/ca.pem");
  EXPECT_EQ(settings->tls->cert_file, m_dir.path() + "/cert.pem");
  EXPECT_EQ(settings->tls->key_file, m_dir.path() + "/key.pem");
  EXPECT_TRUE(settings->tls->verify);
  EXPECT_TRUE(settings->warnings.empty());
}

TEST_F(DockerTlsSettings, CertPathWithoutVerifyWarnsThatTheDaemonIsNotChecked) {
  auto settings = parse({{"DOCKER_HOST", "tcp://127.0.0.1:2376"}, {"DOCKER_CERT_PATH", m_dir.path()}});
  ASSERT_TRUE(settings) << settings.error().message();
  ASSERT_TRUE(settings->tls);
  EXPECT_FALSE(settings->tls->verify);
  ASSERT_EQ(settings->warnings.size(), 1U);
  EXPECT_NE(settings->warnings[0].find("not verified"), std::string::npos);
}

TEST_F(DockerTlsSettings, VerifyWithoutCertPathIsAnError) {
  auto settings = parse({{"DOCKER_HOST", "tcp://127.0.0.1:2376"}, {"DOCKER_TLS_VERIFY", "1"}});
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(settings.error().message().find("DOCKER_CERT_PATH"), std::string::npos);
}

TEST_F(DockerTlsSettings, AMissingFileIsNamed) {
  std::filesystem::remove(m_dir.path() + "/key.pem");
  std::filesystem::create_directory(m_dir.path() + "/key.pem");  // not a regular file either
  auto settings = parse({{"DOCKER_CERT_PATH", m_dir.path()}, {"DOCKER_TLS_VERIFY", "1"}});
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().message().find(m_dir.path() + "/key.pem"), std::string::npos)
    << settings.error().message();
}

TEST(DockerSettings, NoTlsByDefault) {
  auto settings = parse({});
  ASSERT_TRUE(settings) << settings.error().message();
  EXPECT_FALSE(settings->tls);
}

TEST(DockerHost, ATlsEndpointSaysSo) {
  Endpoint endpoint{Endpoint::Kind::tcp, "127.0.0.1:2376", EndpointTls{"ca", "cert", "key", true}};
  EXPECT_EQ(endpoint.describe(), "tcp://127.0.0.1:2376 (TLS)");
}

}  // namespace
}  // namespace volback::docker
