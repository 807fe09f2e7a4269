#include <volback/storage/s3/s3_settings.hpp>

#include <unistd.h>

#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <volback/util/memory_plan.hpp>

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
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"},
                        {"AWS_ACCESS_KEY_ID", "k"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_S3_PATH", "/backups/"}});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_TRUE(*s);
  EXPECT_EQ((*s)->scheme, "https");
  EXPECT_EQ((*s)->host, "s3.amazonaws.com");
  EXPECT_EQ((*s)->path, "backups");
  EXPECT_EQ((*s)->addressing, AddressingStyle::virtual_hosted);
  // Part sizes and buffers come from the memory plan when unset.
  EXPECT_EQ((*s)->part_size, util::memory_plan().part_size_bytes);
  EXPECT_EQ((*s)->concurrency, 4U);
  EXPECT_EQ((*s)->part_buffer_limit, util::memory_plan().part_buffer_bytes);
  EXPECT_FALSE((*s)->region);
  EXPECT_TRUE((*s)->verify_tls);
}

TEST(S3Settings, SetPartSizesAndBuffersWinOverTheMemoryPlan) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"},
                        {"AWS_ACCESS_KEY_ID", "k"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_PART_SIZE", "16"},
                        {"AWS_PART_BUFFER_LIMIT", "80"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->part_size, 16U * 1024 * 1024);
  EXPECT_EQ((*s)->part_buffer_limit, 80U * 1024 * 1024);
  const auto zero = parse(
    {{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_PART_SIZE", "0"}});
  ASSERT_TRUE(zero) << zero.error().message();
  EXPECT_EQ((*zero)->part_size, util::memory_plan().part_size_bytes);
}

TEST(S3Settings, SchemeInEndpointWinsAndCustomEndpointsUsePathStyle) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"},
                        {"AWS_ACCESS_KEY_ID", "k"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_ENDPOINT", "http://127.0.0.1:4570/"},
                        {"AWS_ENDPOINT_PROTO", "https"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->scheme, "http");
  EXPECT_EQ((*s)->host, "127.0.0.1:4570");
  EXPECT_EQ((*s)->addressing, AddressingStyle::path);
  const auto h = parse({{"AWS_S3_BUCKET_NAME", "b"},
                        {"AWS_ACCESS_KEY_ID", "k"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_ENDPOINT", "https://fsn1.your-objectstorage.com"}});
  ASSERT_TRUE(h);
  EXPECT_EQ((*h)->scheme, "https");
  EXPECT_EQ((*h)->host, "fsn1.your-objectstorage.com");
}

TEST(S3Settings, Errors) {
  EXPECT_NE(parse({{"AWS_S3_BUCKET_NAME", "b"}}).error().message().find("no credentials were provided"),
            std::string::npos);
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}}));
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"},
                      {"AWS_ACCESS_KEY_ID", "k"},
                      {"AWS_SECRET_ACCESS_KEY", "s"},
                      {"AWS_ENDPOINT_PROTO", "http"},
                      {"AWS_ENDPOINT_INSECURE", "true"}}));
  EXPECT_FALSE(parse(
    {{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_PART_SIZE", "4"}}));
  EXPECT_FALSE(parse({{"AWS_S3_BUCKET_NAME", "b"},
                      {"AWS_ACCESS_KEY_ID", "k"},
                      {"AWS_SECRET_ACCESS_KEY", "s"},
                      {"AWS_ENDPOINT_CA_CERT", "/nonexistent/ca.pem"}}));
  const auto secret = parse({{"AWS_S3_BUCKET_NAME", "b"},
                             {"AWS_ACCESS_KEY_ID", "k"},
                             {"AWS_SECRET_ACCESS_KEY", "s"},
                             {"AWS_S3_PATH_STYLE", "maybe"}});
  EXPECT_FALSE(secret);
}

TEST(S3Settings, IamRoleEndpointWhenNoStaticKeys) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_IAM_ROLE_ENDPOINT", "http://169.254.169.254/"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->iam_role_endpoint, "http://169.254.169.254");
  EXPECT_TRUE((*s)->credentials.access_key.empty());
  const auto named = parse({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_IAM_ROLE_ENDPOINT", "HTTPS://imds.internal:8443"}});
  ASSERT_TRUE(named) << named.error().message();
  EXPECT_EQ((*named)->iam_role_endpoint, "https://imds.internal:8443");
}

TEST(S3Settings, StaticKeysWinOverTheIamRoleEndpoint) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"},
                        {"AWS_ACCESS_KEY_ID", "k"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_IAM_ROLE_ENDPOINT", "http://169.254.169.254"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE((*s)->iam_role_endpoint);
  EXPECT_EQ((*s)->credentials.access_key, "k");
  EXPECT_EQ((*s)->credentials.secret_key, "s");
}

TEST(S3Settings, NoCredentialsAtAllIsOffensError) {
  const auto s = parse({{"AWS_S3_BUCKET_NAME", "b"}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_TRUE(s.error().message().starts_with("AWS_S3_BUCKET_NAME is defined, but no credentials were provided"))
    << s.error().message();
}

TEST(S3Settings, RefusesAMalformedIamRoleEndpoint) {
  for (const std::string endpoint :
       {"169.254.169.254", "ftp://169.254.169.254", "http://169.254.169.254/latest", "http://169.254.169.254:0",
        "http://", "http://a b", "http://x?y", "http://user:hunter2@169.254.169.254", "http://999.1.1.1"}) {
    for (const bool with_keys : {false, true}) {
      std::map<std::string, std::string, std::less<>> env{{"AWS_S3_BUCKET_NAME", "b"},
                                                          {"AWS_IAM_ROLE_ENDPOINT", endpoint}};
      if (with_keys) {
        env.insert({{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
      }
      const auto s = parse(env);
      ASSERT_FALSE(s) << endpoint;
      EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
      EXPECT_NE(s.error().message().find("AWS_IAM_ROLE_ENDPOINT"), std::string::npos) << s.error().message();
      EXPECT_EQ(s.error().message().find("hunter2"), std::string::npos) << s.error().message();
    }
  }
}

// Two self-signed test certificates (EC P-256, valid until 2126).
constexpr const char* k_cert_a =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBjDCCATGgAwIBAgIUbUwFtAn9ooHRUu9IVGeK0o9VpEYwCgYIKoZIzj0EAwIw\n"
  "GjEYMBYGA1UEAwwPdm9sYmFjayB0ZXN0IENBMCAXDTI2MTIwMTE3MTg1NloYDzIx\n"
  "MjYxMTA3MTcxODU2WjAaMRgwFgYDVQQDDA92b2xiYWNrIHRlc3QgQ0EwWTATBgcq\n"
  "hkjOPQIBBggqhkjOPQMBBwNCAASayipvWRBKqsm5NYrHUy3jtq9BOgAjUzDxI65u\n"
  "vBtsf5c0Oa1hqpk3bA2n8rtF+zyKgRxXBVNVsEdCF6VUKFnNo1MwUTAdBgNVHQ4E\n"
  "FgQUi5dfYLDWcJP1B5Jm35C1FKIWLnowHwYDVR0jBBgwFoAUi5dfYLDWcJP1B5Jm\n"
  "35C1FKIWLnowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA3iLa\n"
  "+wofB3LiXfs+FyRon+EiqhwNG/adoCjdtnTMZY4CIQDsPeeKoVe8jN2QkhWcv8Rd\n"
  "q6aZYxS8vhU+JRbawhTTPw==\n"
  "-----END CERTIFICATE-----\n";
constexpr const char* k_cert_b =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBjzCCATWgAwIBAgIUVLDphr21DVe8CZnhDErmONNO9DwwCgYIKoZIzj0EAwIw\n"
  "HDEaMBgGA1UEAwwRdm9sYmFjayB0ZXN0IENBIDIwIBcNMjYxMjAxMTcxODU2WhgP\n"
  "MjEyNjExMDcxNzE4NTZaMBwxGjAYBgNVBAMMEXZvbGJhY2sgdGVzdCBDQSAyMFkw\n"
  "EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEucgfUVcWbGiWJL6W5wnlpCViwHmWOm1D\n"
  "0M40iVapevp3Kxn/uoNGNP6VxtdAiGIaYJr0nyTSebveXOslUkPFPaNTMFEwHQYD\n"
  "VR0OBBYEFNF1s73Jp1aCYqSaPd8Y2/6ugh9FMB8GA1UdIwQYMBaAFNF1s73Jp1aC\n"
  "YqSaPd8Y2/6ugh9FMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIh\n"
  "APtw/6e32uWqdtZFLnKGqv/HkiXaZR/j8KQU42ZUots3AiBRsomphaagO8GzR2bY\n"
  "Ady4IrFv3kdinvKsNxJZH7n9IA==\n"
  "-----END CERTIFICATE-----\n";

// The public key of k_cert_a.
constexpr const char* k_public_key =
  "-----BEGIN PUBLIC KEY-----\n"
  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmsoqb1kQSqrJuTWKx1Mt47avQToA\n"
  "I1Mw8SOubrwbbH+XNDmtYaqZN2wNp/K7Rfs8ioEcVwVTVbBHQhelVChZzQ==\n"
  "-----END PUBLIC KEY-----\n";

using Env = std::map<std::string, std::string, std::less<>>;

Env with_credentials(Env env) {
  env.insert({{"AWS_S3_BUCKET_NAME", "b"}, {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  return env;
}

std::string error_of(Env env) {
  const auto s = parse(with_credentials(std::move(env)));
  EXPECT_FALSE(s);
  return s ? std::string{} : s.error().message();
}

TEST(S3Settings, CaCertAsPemText) {
  const auto s = parse(with_credentials({{"AWS_ENDPOINT_CA_CERT", k_cert_a}}));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE((*s)->ca_pem);
  EXPECT_FALSE((*s)->ca_file);
  const auto bundle = parse(with_credentials({{"AWS_ENDPOINT_CA_CERT", std::string(k_cert_a) + k_cert_b}}));
  ASSERT_TRUE(bundle) << bundle.error().message();
}

TEST(S3Settings, CaCertAsAFile) {
  char path[] = "/tmp/volback-s3-ca-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content = std::string("# a comment before the bundle\n") + k_cert_a + k_cert_b;
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  const auto s = parse(with_credentials({{"AWS_ENDPOINT_CA_CERT", path}}));
  ::unlink(path);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->ca_file, std::string(path));
}

TEST(S3Settings, CaCertThatIsNotACertificateIsRefused) {
  EXPECT_EQ(error_of({{"AWS_ENDPOINT_CA_CERT", "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"}}),
            "invalid value \"<PEM text>\" for AWS_ENDPOINT_CA_CERT: the PEM text does not parse as a PEM certificate");
  // A good certificate followed by a damaged one.
  std::string damaged = k_cert_b;
  damaged.replace(damaged.find("MII") + 3, 8, "!!!!!!!!");
  EXPECT_NE(error_of({{"AWS_ENDPOINT_CA_CERT", std::string(k_cert_a) + damaged}})
              .find("the PEM text does not parse after certificate 1"),
            std::string::npos);
  // A key alone (a common mix-up) holds no certificate.
  EXPECT_NE(error_of({{"AWS_ENDPOINT_CA_CERT", k_public_key}}).find("the PEM text holds no PEM certificate"),
            std::string::npos);

  char path[] = "/tmp/volback-s3-ca-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "not pem\n", 8), 8);
  ::close(fd);
  const auto message = error_of({{"AWS_ENDPOINT_CA_CERT", path}});
  ::unlink(path);
  EXPECT_EQ(message, fmt::format("invalid value \"{}\" for AWS_ENDPOINT_CA_CERT: the file holds no PEM certificate "
                                 "(-----BEGIN CERTIFICATE-----)",
                                 path));
  EXPECT_NE(error_of({{"AWS_ENDPOINT_CA_CERT", "/dev/zero"}}).find("character device"), std::string::npos);
}

TEST(S3Settings, CaCertIsNotCheckedWhenVerificationIsOff) {
  EXPECT_TRUE(parse(with_credentials({{"AWS_ENDPOINT_CA_CERT", "not a file"}, {"AWS_ENDPOINT_INSECURE", "true"}})));
}

TEST(S3Settings, EndpointProtoInAnyCase) {
  for (const auto& [proto, scheme] : std::map<std::string, std::string>{
         {"https", "https"}, {"HTTPS", "https"}, {"Https", "https"}, {"http", "http"}, {"HTTP", "http"}}) {
    const auto s = parse(with_credentials({{"AWS_ENDPOINT", "minio:9000"}, {"AWS_ENDPOINT_PROTO", proto}}));
    ASSERT_TRUE(s) << proto << ": " << s.error().message();
    EXPECT_EQ((*s)->scheme, scheme) << proto;
  }
  EXPECT_EQ(error_of({{"AWS_ENDPOINT_PROTO", "ftp"}}),
            "invalid value \"ftp\" for AWS_ENDPOINT_PROTO: must be https or http");
  const auto upper = parse(with_credentials({{"AWS_ENDPOINT", "HTTP://minio:9000"}}));
  ASSERT_TRUE(upper) << upper.error().message();
  EXPECT_EQ((*upper)->scheme, "http");
}

TEST(S3Settings, EndpointForms) {
  for (const auto& [endpoint, host] :
       std::map<std::string, std::string>{{"minio", "minio"},
                                          {"minio:9000", "minio:9000"},
                                          {"s3.eu-central-1.amazonaws.com", "s3.eu-central-1.amazonaws.com"},
                                          {"https://fsn1.your-objectstorage.com/", "fsn1.your-objectstorage.com"},
                                          {"http://127.0.0.1:4570", "127.0.0.1:4570"},
                                          {"[::1]:9000", "[::1]:9000"},
                                          {"http://[2001:db8::1]", "[2001:db8::1]"},
                                          {"my_host.internal:65535", "my_host.internal:65535"}}) {
    const auto s = parse(with_credentials({{"AWS_ENDPOINT", endpoint}}));
    ASSERT_TRUE(s) << endpoint << ": " << s.error().message();
    EXPECT_EQ((*s)->host, host) << endpoint;
  }
}

TEST(S3Settings, UnparseableEndpointsAreRefused) {
  struct Case {
    std::string endpoint;
    std::string why;
  };
  for (const Case& c : {
         Case{"host:99999", "the port must be a number from 1 to 65535"},
         Case{"host:0", "the port must be a number from 1 to 65535"},
         Case{"host:abc", "the port must be a number from 1 to 65535"},
         Case{"host:", "the port must be a number from 1 to 65535"},
         Case{"bad host", "the host may only hold letters, digits, '-', '_' and '.'"},
         Case{"h:1:2", "an IPv6 address must be in brackets, e.g. [::1]:9000"},
         Case{"::1", "an IPv6 address must be in brackets, e.g. [::1]:9000"},
         Case{"[::1", "an IPv6 address must be in brackets, e.g. [::1]:9000"},
         Case{"[::g]:9000", "not a valid IPv6 address"},
         Case{"999.1.1.1", "not a valid IPv4 address"},
         Case{"a..b", "the host name has an empty label"},
         Case{"https://", "the host is empty"},
         Case{":9000", "the host is empty"},
         Case{std::string(64, 'a') + ".com", "a label of the host name is longer than 63 characters"},
       }) {
    EXPECT_EQ(error_of({{"AWS_ENDPOINT", c.endpoint}}),
              fmt::format("invalid value \"{}\" for AWS_ENDPOINT: must be host[:port]: {}", c.endpoint, c.why));
  }
  EXPECT_NE(error_of({{"AWS_ENDPOINT", "host/path"}}).find("without a path"), std::string::npos);
  EXPECT_NE(error_of({{"AWS_ENDPOINT", "host?x=1"}}).find("without a path"), std::string::npos);
  EXPECT_NE(error_of({{"AWS_ENDPOINT", "ftp://host"}}).find("the scheme must be https or http"), std::string::npos);
}

TEST(S3Settings, EndpointWithUserInfoIsRefusedWithoutShowingIt) {
  for (const std::string endpoint : {"https://u53r:p4ss@host", "u53r:p4ss@host:9000", "http://AKIA:p4/ss@w@h:1"}) {
    const auto message = error_of({{"AWS_ENDPOINT", endpoint}});
    EXPECT_NE(message.find("must not hold user info"), std::string::npos) << message;
    for (const std::string_view secret : {"u53r", "p4", "ss@w", "AKIA"}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
  }
  EXPECT_EQ(error_of({{"AWS_ENDPOINT", "https://user:pass@host"}}),
            "invalid value \"https://***@host\" for AWS_ENDPOINT: must not hold user info (user:password@); the "
            "credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(k_aws_endpoint.secret, util::Secret::user_info);
}

TEST(S3Settings, SecretsComeFromFilesAndStayRedacted) {
  util::MapSource source({{"AWS_S3_BUCKET_NAME", "b"},
                          {"AWS_ACCESS_KEY_ID_FILE", "/run/secrets/key"},
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
