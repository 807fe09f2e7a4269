#include <volback/storage/dropbox/dropbox_settings.hpp>

#include <gtest/gtest.h>

namespace volback::storage::dropbox {
namespace {

util::Result<std::optional<DropboxSettings>> parse_env(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_dropbox_settings(settings);
}

std::map<std::string, std::string, std::less<>> credentials() {
  return {
    {"DROPBOX_REFRESH_TOKEN", "refresh-secret"}, {"DROPBOX_APP_KEY", "app-key"}, {"DROPBOX_APP_SECRET", "app-secret"}};
}

TEST(DropboxSettings, OffWithoutCredentials) {
  auto parsed = parse_env({{"DROPBOX_REMOTE_PATH", "/backups"}});
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(DropboxSettings, DefaultsAreDropboxsHostsAndOffensConcurrency) {
  auto parsed = parse_env(credentials());
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_TRUE(parsed->has_value());
  const auto& s = **parsed;
  EXPECT_EQ(s.refresh_token, "refresh-secret");
  EXPECT_EQ(s.app_key, "app-key");
  EXPECT_EQ(s.app_secret, "app-secret");
  EXPECT_EQ(s.folder, "");
  EXPECT_EQ(s.api_base, "https://api.dropboxapi.com/");
  EXPECT_EQ(s.content_base, "https://content.dropboxapi.com/");
  EXPECT_EQ(s.token_url, "https://api.dropbox.com/oauth2/token");
  EXPECT_EQ(s.concurrency, 6U);
  EXPECT_EQ(s.retry.max_attempts, 6U);
}

TEST(DropboxSettings, EndpointsPathAndConcurrency) {
  auto env = credentials();
  env["DROPBOX_ENDPOINT"] = "http://127.0.0.1:18110";
  env["DROPBOX_OAUTH2_ENDPOINT"] = "http://127.0.0.1:18111/auth/";
  env["DROPBOX_REMOTE_PATH"] = "backups//nightly/";
  env["DROPBOX_CONCURRENCY_LEVEL"] = "2";
  auto parsed = parse_env(env);
  ASSERT_TRUE(parsed) << parsed.error().message();
  const auto& s = **parsed;
  EXPECT_EQ(s.api_base, "http://127.0.0.1:18110/");
  EXPECT_EQ(s.content_base, "http://127.0.0.1:18110/");
  EXPECT_EQ(s.token_url, "http://127.0.0.1:18111/auth/oauth2/token");
  EXPECT_EQ(s.folder, "/backups/nightly");
  EXPECT_EQ(s.concurrency, 2U);
}

TEST(DropboxSettings, SomeCredentialsOnlyAreRefused) {
  auto parsed = parse_env({{"DROPBOX_REFRESH_TOKEN", "refresh-secret"}, {"DROPBOX_APP_KEY", "k"}});
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(parsed.error().message().find("DROPBOX_APP_SECRET"), std::string::npos);
  EXPECT_EQ(parsed.error().message().find("refresh-secret"), std::string::npos);
}

TEST(DropboxSettings, BadValuesNameTheVariable) {
  const std::vector<std::pair<std::string, std::string>> cases{
    {"DROPBOX_CONCURRENCY_LEVEL", "0"},  {"DROPBOX_CONCURRENCY_LEVEL", "many"},
    {"DROPBOX_ENDPOINT", "ftp://host/"}, {"DROPBOX_OAUTH2_ENDPOINT", "https://user:pw@host/"},
    {"DROPBOX_REMOTE_PATH", "/a/../b"},  {"DROPBOX_RETRY_ATTEMPTS", "0"},
  };
  for (const auto& [name, value] : cases) {
    auto env = credentials();
    env[name] = value;
    auto parsed = parse_env(env);
    ASSERT_FALSE(parsed) << name << "=" << value;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find(name), std::string::npos) << parsed.error().message();
    EXPECT_EQ(parsed.error().message().find("pw@"), std::string::npos) << parsed.error().message();
  }
}

TEST(DropboxSettings, SecretsAreMarkedSecret) {
  for (const auto& spec : dropbox_setting_specs()) {
    const bool secret = spec.name == "DROPBOX_REFRESH_TOKEN" || spec.name == "DROPBOX_APP_SECRET";
    EXPECT_EQ(spec.secret == util::Secret::yes, secret) << spec.name;
  }
}

TEST(DropboxSettings, FolderForm) {
  EXPECT_EQ(dropbox_folder(""), "");
  EXPECT_EQ(dropbox_folder("/"), "");
  EXPECT_EQ(dropbox_folder("./a/./b/"), "/a/b");
  EXPECT_EQ(dropbox_folder("/Backups"), "/Backups");
}

}  // namespace
}  // namespace volback::storage::dropbox
