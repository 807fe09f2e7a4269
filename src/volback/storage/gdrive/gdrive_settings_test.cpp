#include <volback/storage/gdrive/gdrive_settings.hpp>

#include <gtest/gtest.h>

#include <volback/storage/gdrive/gdrive_test_key.hpp>

namespace volback::storage::gdrive {
namespace {

util::Result<std::optional<GdriveSettings>> parse_env(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_gdrive_settings(settings);
}

TEST(GdriveSettings, OffWithoutCredentials) {
  auto parsed = parse_env({{"GOOGLE_DRIVE_FOLDER_ID", "abc"}});
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(GdriveSettings, Defaults) {
  auto parsed = parse_env({{"GOOGLE_DRIVE_CREDENTIALS_JSON", testkey::service_account_json()}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_TRUE(parsed->has_value());
  const auto& s = **parsed;
  EXPECT_EQ(s.folder_id, "root");
  EXPECT_EQ(s.subject, "");
  EXPECT_EQ(s.team_drive_id, "");
  EXPECT_EQ(s.api_base, "https://www.googleapis.com/drive/v3/");
  EXPECT_EQ(s.upload_base, "https://www.googleapis.com/upload/drive/v3/");
  EXPECT_EQ(s.token_url, "https://oauth2.googleapis.com/token");
  EXPECT_TRUE(s.verify_tls);
  EXPECT_EQ(s.chunk_size, std::uint64_t{8} << 20);
  EXPECT_EQ(s.retry.max_attempts, 6U);
}

TEST(GdriveSettings, OverridesAndACustomEndpointKeepsTlsVerification) {
  auto parsed = parse_env({{"GOOGLE_DRIVE_CREDENTIALS_JSON", testkey::service_account_json()},
                           {"GOOGLE_DRIVE_FOLDER_ID", "1AbC-d_E"},
                           {"GOOGLE_DRIVE_TEAM_DRIVE_ID", "0AxYz"},
                           {"GOOGLE_DRIVE_IMPERSONATE_SUBJECT", "admin@example.com"},
                           {"GOOGLE_DRIVE_ENDPOINT", "https://drive.internal:8443/drive/v3"},
                           {"GOOGLE_DRIVE_TOKEN_URL", "https://drive.internal:8443/token"},
                           {"GOOGLE_DRIVE_CHUNK_SIZE", "1"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  const auto& s = **parsed;
  EXPECT_EQ(s.folder_id, "1AbC-d_E");
  EXPECT_EQ(s.team_drive_id, "0AxYz");
  EXPECT_EQ(s.subject, "admin@example.com");
  EXPECT_EQ(s.api_base, "https://drive.internal:8443/drive/v3/");
  EXPECT_EQ(s.upload_base, "https://drive.internal:8443/upload/drive/v3/");
  EXPECT_EQ(s.token_url, "https://drive.internal:8443/token");
  EXPECT_TRUE(s.verify_tls);
  EXPECT_EQ(s.chunk_size, std::uint64_t{1} << 20);
}

TEST(GdriveSettings, InsecureAloneTurnsVerificationOff) {
  auto parsed =
    parse_env({{"GOOGLE_DRIVE_CREDENTIALS_JSON", testkey::service_account_json()}, {"GOOGLE_DRIVE_INSECURE", "true"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_FALSE((*parsed)->verify_tls);
}

TEST(GdriveSettings, ReadsTheKeyFromAFile) {
  const util::MapSource source({{"GOOGLE_DRIVE_CREDENTIALS_JSON_FILE", "/run/secrets/sa.json"}}, "environment");
  const util::Settings settings({&source}, [](const std::string& path) -> util::Result<std::string> {
    EXPECT_EQ(path, "/run/secrets/sa.json");
    return testkey::service_account_json("file@p.iam.gserviceaccount.com") + "\n";
  });
  auto parsed = parse_gdrive_settings(settings);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ((*parsed)->account.client_email, "file@p.iam.gserviceaccount.com");
}

TEST(GdriveSettings, RefusesBadValuesNamingTheVariable) {
  const auto json = testkey::service_account_json();
  const std::vector<std::pair<std::string, std::string>> bad{
    {"GOOGLE_DRIVE_FOLDER_ID", "a' or name contains '"},
    {"GOOGLE_DRIVE_TEAM_DRIVE_ID", "x y"},
    {"GOOGLE_DRIVE_ENDPOINT", "ftp://x/"},
    {"GOOGLE_DRIVE_TOKEN_URL", "not a url"},
    {"GOOGLE_DRIVE_INSECURE", "maybe"},
    {"GOOGLE_DRIVE_CHUNK_SIZE", "0"},
    {"GOOGLE_DRIVE_CHUNK_SIZE", "257"},
  };
  for (const auto& [name, value] : bad) {
    auto parsed = parse_env({{"GOOGLE_DRIVE_CREDENTIALS_JSON", json}, {name, value}});
    ASSERT_FALSE(parsed) << name << "=" << value;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find(name), std::string::npos) << parsed.error().message();
  }
}

TEST(GdriveSettings, AMalformedKeyIsRefusedWithoutEchoingIt) {
  auto parsed = parse_env({{"GOOGLE_DRIVE_CREDENTIALS_JSON", R"({"client_email":"a@b","private_key":"SECRETPEM"})"}});
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message().find("GOOGLE_DRIVE_CREDENTIALS_JSON"), std::string::npos);
  EXPECT_EQ(parsed.error().message().find("SECRETPEM"), std::string::npos);
}

}  // namespace
}  // namespace volback::storage::gdrive
