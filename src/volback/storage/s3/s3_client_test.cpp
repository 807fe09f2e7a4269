#include <volback/storage/s3/s3_client.hpp>

#include <gtest/gtest.h>

#include <volback/storage/s3/fake_imds.hpp>
#include <volback/storage/s3/sigv4.hpp>

namespace volback::storage::s3 {
namespace {

http::Response response(long status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(S3Client, ClassifiesResponsesWhereTheyArise) {
  const auto sig = classify_response(
    response(403, "<Error><Code>SignatureDoesNotMatch</Code><Message>bad sig</Message></Error>"), "ListObjectsV2 b");
  EXPECT_EQ(sig.kind(), util::ErrorKind::auth);
  EXPECT_EQ(sig.message(), "ListObjectsV2 b: HTTP 403: SignatureDoesNotMatch: bad sig");
  EXPECT_EQ(classify_response(response(404, "<Error><Code>NoSuchBucket</Code></Error>"), "x").kind(),
            util::ErrorKind::not_found);
  EXPECT_EQ(classify_response(response(503, "<Error><Code>SlowDown</Code></Error>"), "x").kind(),
            util::ErrorKind::transient);
  EXPECT_EQ(classify_response(response(500, ""), "x").kind(), util::ErrorKind::transient);
  EXPECT_EQ(classify_response(response(400, "<Error><Code>RequestTimeout</Code></Error>"), "x").kind(),
            util::ErrorKind::transient);
  EXPECT_EQ(classify_response(response(400, "<Error><Code>BadDigest</Code></Error>"), "x").kind(),
            util::ErrorKind::permanent);
  EXPECT_EQ(classify_response(response(412, "Bad URL"), "x").message(), "x: HTTP 412: Bad URL");
}

TEST(S3Client, ParsesTimes) {
  const auto iso = parse_iso8601("2026-11-26T09:20:58.250Z");
  ASSERT_TRUE(iso);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(iso->time_since_epoch()).count(), 1795684858250LL);
  const auto http = parse_http_date("Thu, 26 Nov 2026 09:20:58 GMT");
  ASSERT_TRUE(http);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*http), 1795684858);
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

// Requests to the fake metadata service go there; the others are recorded and answered 200.
class RoutingTransport final : public http::Transport {
 public:
  RoutingTransport(fake::FakeImds& imds, std::vector<http::Request>& s3) : m_imds(imds), m_s3(s3) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    if (request.url.starts_with(fake::k_fake_imds)) {
      return m_imds.send(request, sink);
    }
    m_s3.push_back(request);
    return response(200, "");
  }

 private:
  fake::FakeImdsTransport m_imds;
  std::vector<http::Request>& m_s3;
};

// An S3Client whose credentials come from the fake metadata service; the S3 requests it
// sends are recorded in `sent`.
class S3ClientWithRole : public ::testing::Test {
 protected:
  explicit S3ClientWithRole(util::TimePoint start = util::TimePoint{std::chrono::seconds(1'800'000'000)})
    : m_start(start), m_clock(start) {
    m_settings.bucket = "bkt";
    m_settings.scheme = "http";
    m_settings.host = "s3.test";
    m_settings.iam_role_endpoint = std::string(fake::k_fake_imds);
  }

  S3Client client() {
    return S3Client(m_settings, m_clock, m_cancel, m_log,
                    [this](const util::CancelToken*) { return std::make_unique<RoutingTransport>(m_imds, m_sent); });
  }

  util::TimePoint m_start;
  util::FixedClock m_clock;
  util::CancelToken m_cancel;
  util::CapturingLogger m_log;
  fake::FakeImds m_imds;
  std::vector<http::Request> m_sent;
  S3Settings m_settings;
};

TEST_F(S3ClientWithRole, SignsWithTheRoleCredentialsAndTheirSessionToken) {
  const util::TimePoint start = m_start;
  auto& imds = m_imds;
  auto& sent = m_sent;
  imds.expiration = start + std::chrono::hours(1);
  S3Client client = this->client();
  auto transport = client.make_transport();
  S3Request request;
  request.key = "a/b.tar.gz";
  ASSERT_TRUE(client.call(*transport, request, "GetObject"));
  ASSERT_EQ(sent.size(), 1U);

  // The signature is the one the role's secret key gives over every header sent.
  SigningInput input;
  input.method = "GET";
  input.canonical_path = "/bkt/a/b.tar.gz";
  std::string signature;
  for (const auto& header : sent[0].headers) {
    if (header.name == "Authorization") {
      signature = header.value;
    } else {
      input.headers.emplace_back(header.name, header.value);
    }
    if (header.name == "x-amz-content-sha256") {
      input.payload_hash = header.value;
    }
  }
  EXPECT_EQ(fake::FakeImds::header(sent[0], "x-amz-security-token"), "session1");
  EXPECT_NE(signature.find("Credential=ASIAKEY1/"), std::string::npos) << signature;
  EXPECT_NE(signature.find("x-amz-security-token"), std::string::npos) << signature;
  EXPECT_EQ(signature,
            authorization(input, Credentials{"ASIAKEY1", "secret1", "session1"}, amz_date(start), "us-east-1"));

  // An hour later, the refreshed credentials sign.
  imds.expiration = start + std::chrono::hours(2);
  m_clock.set(start + std::chrono::minutes(58));
  ASSERT_TRUE(client.call(*transport, request, "GetObject"));
  EXPECT_EQ(fake::FakeImds::header(sent.back(), "x-amz-security-token"), "session2");
  EXPECT_EQ(imds.handed_out(), 2);
}

TEST_F(S3ClientWithRole, ACredentialsErrorNamesTheRequest) {
  m_imds.role = "";
  auto& sent = m_sent;
  S3Client client = this->client();
  auto transport = client.make_transport();
  const auto result = client.call(*transport, S3Request{}, "ListObjectsV2 bkt");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::auth);
  EXPECT_EQ(result.error().message(),
            "ListObjectsV2 bkt: instance metadata service, role name: no IAM role is attached to the instance");
  EXPECT_TRUE(sent.empty());
}

}  // namespace
}  // namespace volback::storage::s3
