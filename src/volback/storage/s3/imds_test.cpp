// The instance metadata service protocol against FakeImds: IMDSv2, the IMDSv1 fallback,
// and replies a hostile or broken service could send.
#include <volback/storage/s3/imds.hpp>

#include <gtest/gtest.h>

#include <volback/storage/s3/fake_imds.hpp>

namespace volback::storage::s3 {
namespace {

using fake::FakeImds;
using fake::FakeImdsTransport;
using fake::k_fake_imds;

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

class ImdsTest : public ::testing::Test {
 protected:
  ImdsTest() { m_imds.expiration = util::TimePoint(std::chrono::seconds(1'800'000'000)); }

  util::Result<RoleCredentials> fetch() { return fetch_role_credentials(m_transport, k_fake_imds, m_log); }

  // The error of a fetch, checked to name `step` and to hold no secret.
  util::Error failure(std::string_view step) {
    auto result = fetch();
    EXPECT_FALSE(result);
    if (result) {
      return util::Error(util::ErrorKind::permanent, "");
    }
    const auto& message = result.error().message();
    EXPECT_TRUE(message.starts_with(fmt::format("instance metadata service, {}:", step))) << message;
    EXPECT_FALSE(has(message, "secret1") || has(message, "session1") || has(message, m_imds.token)) << message;
    return result.error();
  }

  FakeImds m_imds;
  FakeImdsTransport m_transport{m_imds};
  util::CapturingLogger m_log;
};

TEST_F(ImdsTest, TakesATokenThenTheRoleThenItsCredentials) {
  m_imds.require_token = true;
  const auto fetched = fetch();
  ASSERT_TRUE(fetched) << fetched.error().message();
  EXPECT_EQ(fetched->role, "backup-role");
  EXPECT_EQ(fetched->credentials.access_key, "ASIAKEY1");
  EXPECT_EQ(fetched->credentials.secret_key, "secret1");
  EXPECT_EQ(fetched->credentials.session_token, "session1");
  EXPECT_EQ(fetched->expiration, m_imds.expiration);

  const auto seen = m_imds.seen();
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].url, "http://imds.test/latest/api/token");
  EXPECT_EQ(FakeImds::header(seen[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(seen[1].method, "GET");
  EXPECT_EQ(seen[1].url, "http://imds.test/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(seen[2].url, "http://imds.test/latest/meta-data/iam/security-credentials/backup-role");
  for (const auto& request : {seen[1], seen[2]}) {
    EXPECT_EQ(FakeImds::header(request, "X-aws-ec2-metadata-token"), "imds-token-1");
  }
}

TEST_F(ImdsTest, GoesOnWithoutATokenWhenTheServiceHasNoImdsV2) {
  for (const long status : {403L, 404L, 405L}) {
    FakeImds imds;
    imds.token_status = status;
    FakeImdsTransport transport(imds);
    const auto fetched = fetch_role_credentials(transport, k_fake_imds, m_log);
    ASSERT_TRUE(fetched) << status << ": " << fetched.error().message();
    EXPECT_EQ(fetched->credentials.access_key, "ASIAKEY1");
    const auto seen = imds.seen();
    ASSERT_EQ(seen.size(), 3U);
    EXPECT_EQ(FakeImds::header(seen[1], "X-aws-ec2-metadata-token"), "");
    EXPECT_EQ(FakeImds::header(seen[2], "X-aws-ec2-metadata-token"), "");
  }
}

TEST_F(ImdsTest, OtherTokenFailuresAreErrorsOfTheirKind) {
  m_imds.token_status = 503;
  EXPECT_EQ(failure("token").kind(), util::ErrorKind::transient);
  m_imds.token_status = 400;
  EXPECT_EQ(failure("token").kind(), util::ErrorKind::permanent);
  m_imds.token_status = 200;
  m_imds.token = "two\r\nX-Injected: 1";
  EXPECT_EQ(failure("token").message(), "instance metadata service, token: the reply is not a token");
}

TEST_F(ImdsTest, ARefusedTokenOrAMissingRoleIsAnAuthError) {
  m_imds.require_token = true;
  m_imds.token_status = 404;  // no token to be had, yet the GETs want one
  const auto refused = failure("role name");
  EXPECT_EQ(refused.kind(), util::ErrorKind::auth);
  EXPECT_TRUE(has(refused.message(), "HTTP 401")) << refused.message();

  m_imds.require_token = false;
  m_imds.token_status = 200;
  m_imds.role = "";
  EXPECT_EQ(failure("role name").kind(), util::ErrorKind::auth);
}

TEST_F(ImdsTest, ATransportErrorKeepsItsKindAndNamesTheStep) {
  class Refusing final : public http::Transport {
   public:
    util::Result<http::Response> send(const http::Request&, const http::ResponseSink*) override {
      return util::fail(util::ErrorKind::transient, "connection refused");
    }
  } refusing;
  const auto result = fetch_role_credentials(refusing, k_fake_imds, m_log);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(result.error().message(), "instance metadata service, token: connection refused");
}

TEST_F(ImdsTest, RefusesMalformedCredentials) {
  const std::vector<std::pair<std::string, std::string>> cases{
    {"not json at all", "not a JSON object"},
    {R"(["AccessKeyId"])", "not a JSON object"},
    {R"({"Code":"Success","AccessKeyId":"ASIAKEY1","Token":"session1","Expiration":"2027-01-01T00:00:00Z"})",
     "no SecretAccessKey"},
    {R"({"AccessKeyId":42,"SecretAccessKey":"secret1","Expiration":"2027-01-01T00:00:00Z"})",
     "AccessKeyId in the reply is not a string"},
    {R"({"AccessKeyId":"A","SecretAccessKey":"secret1","Token":"session1\r\nX: y","Expiration":"2027-01-01T00:00:00Z"})",
     "Token in the reply is empty, too long or holds"},
    {R"({"AccessKeyId":"A","SecretAccessKey":"secret1","Token":"session1","Expiration":"tomorrow"})",
     "Expiration \"tomorrow\" is not an RFC 3339 time"},
    {R"({"AccessKeyId":"A","SecretAccessKey":"secret1","Token":"session1"})", "no Expiration"},
    {std::string(20000, '[') + std::string(20000, ']'), "not a JSON object"},
  };
  for (const auto& [reply, expected] : cases) {
    m_imds.credentials_reply = reply;
    const auto error = failure("credentials");
    EXPECT_EQ(error.kind(), util::ErrorKind::permanent) << reply.substr(0, 80);
    EXPECT_TRUE(has(error.message(), expected)) << error.message();
  }
}

TEST_F(ImdsTest, ACodeOtherThanSuccessIsAnAuthError) {
  m_imds.credentials_reply = R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"denied\u001b[31m",)"
                             R"("SecretAccessKey":"secret1"})";
  const auto error = failure("credentials");
  EXPECT_EQ(error.kind(), util::ErrorKind::auth);
  EXPECT_TRUE(has(error.message(), "Code \"AssumeRoleUnauthorizedAccess\"")) << error.message();
  EXPECT_FALSE(has(error.message(), "\x1b")) << "control characters from the server are escaped";
}

TEST_F(ImdsTest, RefusesAnOversizedReply) {
  m_imds.credentials_reply = R"({"Code":"Success","Padding":")" + std::string(k_imds_max_reply, 'x') + R"("})";
  const auto error = failure("credentials");
  EXPECT_EQ(error.kind(), util::ErrorKind::permanent);
  EXPECT_EQ(error.message(), "instance metadata service, credentials: the reply is larger than 64 KiB");

  m_imds.credentials_reply.clear();
  m_imds.role = std::string(k_imds_max_reply + 1, 'r');
  EXPECT_EQ(failure("role name").message(), "instance metadata service, role name: the reply is larger than 64 KiB");
}

TEST(ImdsParse, RoleNames) {
  EXPECT_EQ(parse_role_name("backup-role\n").value(), "backup-role");
  EXPECT_EQ(parse_role_name("first\r\nsecond\n").value(), "first");
  EXPECT_EQ(parse_role_name("a+=,.@_-Z9").value(), "a+=,.@_-Z9");
  EXPECT_EQ(parse_role_name("\n").error().kind(), util::ErrorKind::auth);
  EXPECT_EQ(parse_role_name("../../meta-data").error().kind(), util::ErrorKind::permanent);
  EXPECT_EQ(parse_role_name("role name").error().kind(), util::ErrorKind::permanent);
  EXPECT_EQ(parse_role_name(std::string(65, 'r')).error().kind(), util::ErrorKind::permanent);
}

TEST(ImdsParse, CredentialsWithoutCodeOrToken) {
  const auto parsed = parse_role_credentials(
    R"({"AccessKeyId":"AKIA1","SecretAccessKey":"s/x+y","Expiration":"2027-01-01T00:00:00+01:00"})");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->credentials.secret_key, "s/x+y");
  EXPECT_EQ(parsed->credentials.session_token, "");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(parsed->expiration), 1798758000);
}

}  // namespace
}  // namespace volback::storage::s3
