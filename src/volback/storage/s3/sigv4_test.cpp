#include <volback/storage/s3/sigv4.hpp>

#include <gtest/gtest.h>

#include <volback/storage/digest.hpp>

namespace volback::storage::s3 {
namespace {

// The examples of AWS's "Signature Calculations for the Authorization Header" (S3 API
// reference): bucket examplebucket, 2013-05-24, us-east-1.
const Credentials k_s3_doc_credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const std::string k_empty_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(SigV4, S3DocGetObjectWithRange) {
  SigningInput in{"GET",
                  "/test.txt",
                  {},
                  {{"Host", "examplebucket.s3.amazonaws.com"},
                   {"Range", "bytes=0-9"},
                   {"x-amz-content-sha256", k_empty_hash},
                   {"x-amz-date", "20130524T000000Z"}},
                  k_empty_hash};
  EXPECT_EQ(authorization(in, k_s3_doc_credentials, "20130524T000000Z", "us-east-1"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, S3DocPutObject) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string hash = sha256_hex(body);
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SigningInput in{"PUT",
                  "/test%24file.text",
                  {},
                  {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                   {"Host", "examplebucket.s3.amazonaws.com"},
                   {"x-amz-date", "20130524T000000Z"},
                   {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                   {"x-amz-content-sha256", hash}},
                  hash};
  EXPECT_EQ(authorization(in, k_s3_doc_credentials, "20130524T000000Z", "us-east-1"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, S3DocGetBucketLifecycle) {
  SigningInput in{"GET",
                  "/",
                  {{"lifecycle", ""}},
                  {{"Host", "examplebucket.s3.amazonaws.com"},
                   {"x-amz-content-sha256", k_empty_hash},
                   {"x-amz-date", "20130524T000000Z"}},
                  k_empty_hash};
  EXPECT_EQ(authorization(in, k_s3_doc_credentials, "20130524T000000Z", "us-east-1"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, S3DocListObjects) {
  SigningInput in{"GET",
                  "/",
                  {{"prefix", "J"}, {"max-keys", "2"}},
                  {{"Host", "examplebucket.s3.amazonaws.com"},
                   {"x-amz-content-sha256", k_empty_hash},
                   {"x-amz-date", "20130524T000000Z"}},
                  k_empty_hash};
  EXPECT_EQ(authorization(in, k_s3_doc_credentials, "20130524T000000Z", "us-east-1"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// AWS's generic SigV4 test suite (aws-sig-v4-test-suite), service "service".
const Credentials k_suite_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

TEST(SigV4, SuiteGetVanilla) {
  SigningInput in{
    "GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, k_empty_hash};
  EXPECT_EQ(canonical_request(in),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + k_empty_hash);
  EXPECT_EQ(authorization(in, k_suite_credentials, "20150830T123600Z", "us-east-1", "service"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SuiteGetVanillaQueryOrderKeyCase) {
  SigningInput in{"GET",
                  "/",
                  {{"Param2", "value2"}, {"Param1", "value1"}},
                  {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
                  k_empty_hash};
  EXPECT_EQ(authorization(in, k_suite_credentials, "20150830T123600Z", "us-east-1", "service"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, CanonicalHeadersTrimCollapseAndJoin) {
  SigningInput in{
    "GET", "/", {}, {{"My-Header1", "  a   b   c  "}, {"my-header2", "x"}, {"MY-HEADER2", "y"}}, "UNSIGNED-PAYLOAD"};
  EXPECT_EQ(canonical_request(in),
            "GET\n/\n\nmy-header1:a b c\nmy-header2:x,y\n\nmy-header1;my-header2\nUNSIGNED-PAYLOAD");
}

TEST(SigV4, CanonicalQueryEncodesAndSorts) {
  EXPECT_EQ(canonical_query({{"prefix", "a/b c"}, {"list-type", "2"}, {"continuation-token", "x+y="}}),
            "continuation-token=x%2By%3D&list-type=2&prefix=a%2Fb%20c");
}

TEST(SigV4, AmzDate) {
  EXPECT_EQ(amz_date(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
}

}  // namespace
}  // namespace volback::storage::s3
