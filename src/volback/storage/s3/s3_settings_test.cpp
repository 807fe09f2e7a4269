#include <volback/storage/s3/s3_settings.hpp>

#include <gtest/gtest.h>

namespace volback::storage::s3 {
namespace {

util::Result<std::optional<S3Settings>> parse(std::map<std::string, std::string, std::less<>> env) {
  util::MapSource source(std::move(env), "environment");
  util::Settings settings({&source});
  return parse_s3_settings(settings);
}

TEST(S3Settings, OffWithoutBucket) {
  const auto s = parse({});
  ASSERT_TRUE(s);
  EXPECT_FALSE(*s);
}

TEST(S3Settings, OffenDefaults) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_S3_PATH", "/backups/"}});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_TRUE(*s);
  EXPECT_EQ((*s)->scheme, "https");
  EXPECT_EQ((*s)->host, "s3.amazonaws.com");
  EXPECT_EQ((*s)->path, "backups");
  EXPECT_EQ((*s)->addressing, AddressingStyle::virtual_hosted);
  EXPECT_EQ((*s)->part_size, 16U * 1024 * 1024);
  EXPECT_EQ((*s)->concurrency, 4U);
  EXPECT_EQ((*s)->part_buffer_limit, 80U * 1024 * 1024);
  EXPECT_FALSE((*s)->region);
  EXPECT_TRUE((*s)->verify_tls);
}

TEST(S3Settings, SchemeInEndpointWinsAndCustomEndpointsUsePathStyle) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_ENDPOINT", "http://127.0.0.1:4570/"}, {"AWS_ENDPOINT_PROTO", "https"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->scheme, "http");
  EXPECT_EQ((*s)->host, "127.0.0.1:4570");
  EXPECT_EQ((*s)->addressing, AddressingStyle::path);
  const auto h = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_ENDPOINT", "https://fsn1.your-objectstorage.com"}});
  ASSERT_TRUE(h);
  EXPECT_EQ((*h)->scheme, "https");
  EXPECT_EQ((*h)->host, "fsn1.your-objectstorage.com");
}

TEST(S3Settings, Errors) {
  EXPECT_NE(parse({{"AWS_S3_BUCKET_NAME", "b"}}).error().message().find("no credentials were provided"),
            std::string::npos);
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}}));
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                      {"AWS_ENDPOINT_PROTO", "http"}, {"AWS_ENDPOINT_INSECURE", "true"}}));
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                      {"AWS_PART_SIZE", "4"}}));
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                      {"AWS_ENDPOINT_CA_CERT", "/nonexistent/ca.pem"}}));
  const auto secret = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"},
                             {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_S3_PATH_STYLE", "maybe"}});
  EXPECT_FALSE(secret);
}

TEST(S3Settings, CaCertAsPemText) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_ENDPOINT_CA_CERT", "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"}});
  ASSERT_TRUE(s);
  EXPECT_TRUE((*s)->ca_pem);
  EXPECT_FALSE((*s)->ca_file);
}

TEST(S3Settings, SecretsComeFromFilesAndStayRedacted) {
  util::MapSource source({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID_FILE", "/run/secrets/key"},
                          {"AWS_SECRET_ACCESS_KEY_FILE", "/run/secrets/secret"}},
                         "environment");
  util::Settings settings({&source}, [](const std::string& path) -> util::Result<std::string> {
    return path == "/run/secrets/key" ? std::string("AKID\n") : std::string("s3cr3t\r\n");
  });
  const auto s = parse_s3_settings(settings);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->credentials.access_key, "AKID");
  EXPECT_EQ((*s)->credentials.secret_key, "s3cr3t");
  EXPECT_EQ(k_aws_secret_access_key.secret, util::Secret::yes);
  EXPECT_EQ(k_aws_access_key_id.secret, util::Secret::yes);
}

}  // namespace
}  // namespace volback::storage::s3
