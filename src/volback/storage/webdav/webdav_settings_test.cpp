#include <volback/storage/webdav/webdav_settings.hpp>

#include <gtest/gtest.h>

namespace volback::storage::webdav {
namespace {

util::Result<std::optional<WebdavSettings>> parse(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_webdav_settings(settings);
}

TEST(WebdavSettings, OffWithoutTheUrl) {
  auto parsed = parse({{"WEBDAV_USERNAME", "me"}});
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(WebdavSettings, JoinsTheUrlPathAndWebdavPath) {
  auto parsed = parse({{"WEBDAV_URL", "https://dav.example.com/remote.php/dav/files/me/"},
                       {"WEBDAV_PATH", "backups//nightly/"},
                       {"WEBDAV_USERNAME", "me"},
                       {"WEBDAV_PASSWORD", "secret"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_TRUE(parsed->has_value());
  EXPECT_EQ((*parsed)->origin, "https://dav.example.com");
  EXPECT_EQ((*parsed)->base, "/remote.php/dav/files/me/backups/nightly");
  EXPECT_TRUE((*parsed)->verify_tls);
  EXPECT_EQ((*parsed)->retry.max_attempts, 6u);
}

TEST(WebdavSettings, TheDefaultPathIsTheUrlItself) {
  auto parsed = parse({{"WEBDAV_URL", "http://127.0.0.1:8088"}, {"WEBDAV_USERNAME", "u"}, {"WEBDAV_PASSWORD", "p"}});
  ASSERT_TRUE(parsed && parsed->has_value());
  EXPECT_EQ((*parsed)->base, "");
}

TEST(WebdavSettings, RefusesMissingCredentialsAndBadUrls) {
  EXPECT_FALSE(parse({{"WEBDAV_URL", "https://h/"}, {"WEBDAV_USERNAME", "u"}}));
  EXPECT_FALSE(parse({{"WEBDAV_URL", "https://h/"}, {"WEBDAV_PASSWORD", "p"}}));
  auto userinfo = parse({{"WEBDAV_URL", "https://u:hunter2@h/"}, {"WEBDAV_USERNAME", "u"}, {"WEBDAV_PASSWORD", "p"}});
  ASSERT_FALSE(userinfo);
  EXPECT_EQ(userinfo.error().message().find("hunter2"), std::string::npos);
  EXPECT_FALSE(parse({{"WEBDAV_URL", "h/dav"}, {"WEBDAV_USERNAME", "u"}, {"WEBDAV_PASSWORD", "p"}}));
  EXPECT_FALSE(parse({{"WEBDAV_URL", "http://h/"},
                      {"WEBDAV_URL_INSECURE", "true"},
                      {"WEBDAV_USERNAME", "u"},
                      {"WEBDAV_PASSWORD", "p"}}));
  EXPECT_FALSE(parse(
    {{"WEBDAV_URL", "http://h/"}, {"WEBDAV_PATH", "a/../b"}, {"WEBDAV_USERNAME", "u"}, {"WEBDAV_PASSWORD", "p"}}));
}

TEST(WebdavSettings, InsecureAndRetryBudget) {
  auto parsed = parse({{"WEBDAV_URL", "https://h/"},
                       {"WEBDAV_URL_INSECURE", "true"},
                       {"WEBDAV_USERNAME", "u"},
                       {"WEBDAV_PASSWORD", "p"},
                       {"WEBDAV_RETRY_ATTEMPTS", "2"},
                       {"WEBDAV_RETRY_MAX_TIME", "3s"}});
  ASSERT_TRUE(parsed && parsed->has_value());
  EXPECT_FALSE((*parsed)->verify_tls);
  EXPECT_EQ((*parsed)->retry.max_attempts, 2u);
  EXPECT_EQ((*parsed)->retry.max_time, std::chrono::seconds(3));
}

}  // namespace
}  // namespace volback::storage::webdav
