#include <volback/storage/s3/s3_client.hpp>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace volback::storage::s3
