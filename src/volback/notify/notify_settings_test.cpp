#include <volback/notify/notify_settings.hpp>

#include <gtest/gtest.h>

namespace volback::notify {
namespace {

util::Result<NotifySettings> parse(std::map<std::string, std::string, std::less<>> values) {
  if (!values.contains("VOLBACK_NOTIFICATIONS_DIR")) {
    values["VOLBACK_NOTIFICATIONS_DIR"] = "/nonexistent/notifications.d";
  }
  const util::MapSource source(std::move(values), "environment");
  return parse_notify_settings(util::Settings({&source}));
}

TEST(NotifySettingsTest, DefaultsToNothingAtErrorLevel) {
  const auto settings = parse({});
  ASSERT_TRUE(settings);
  EXPECT_FALSE(settings->enabled());
  EXPECT_EQ(settings->level, NotificationLevel::error);
  EXPECT_FALSE(settings->show_secrets);
  EXPECT_EQ(settings->timeout, std::chrono::seconds(30));
}

TEST(NotifySettingsTest, ParsesUrlsAndLevel) {
  const auto settings = parse({{"NOTIFICATION_URLS", "ntfy://h/t, discord://tok@1"}, {"NOTIFICATION_LEVEL", "warn"}});
  ASSERT_TRUE(settings) << settings.error().message();
  ASSERT_EQ(settings->services.size(), 2U);
  EXPECT_EQ(settings->services[1]->describe(), "discord webhook");
  EXPECT_EQ(settings->level, NotificationLevel::warn);
}

TEST(NotifySettingsTest, BadUrlNamesItsPositionAndServiceButNoSecret) {
  const auto settings = parse({{"NOTIFICATION_URLS", "ntfy://h/t,slack://hook:SECRET@webhook"}});
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().message().rfind("NOTIFICATION_URLS item 2: slack: ", 0), 0U) << settings.error().message();
  EXPECT_EQ(settings.error().message().find("SECRET"), std::string::npos);
}

TEST(NotifySettingsTest, BadLevel) {
  const auto settings = parse({{"NOTIFICATION_LEVEL", "debug"}});
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().message().find("NOTIFICATION_LEVEL"), std::string::npos);
}

TEST(NotifySettingsTest, DeprecatedEmailVariablesBecomeAnSmtpServiceWithAWarning) {
  const auto settings = parse({{"EMAIL_NOTIFICATION_RECIPIENT", "ops@example.com"},
                               {"EMAIL_SMTP_HOST", "smtp.example.com"},
                               {"EMAIL_SMTP_USERNAME", "me"},
                               {"EMAIL_SMTP_PASSWORD", "p@ss:w/rd"}});
  ASSERT_TRUE(settings) << settings.error().message();
  ASSERT_EQ(settings->services.size(), 1U);
  EXPECT_EQ(settings->services[0]->describe(), "smtp at smtp.example.com:587 (1 recipients)");
  ASSERT_EQ(settings->warnings.size(), 2U);
  EXPECT_NE(settings->warnings[0].find("EMAIL_* keys"), std::string::npos);
}

TEST(NotifySettingsTest, TemplateDirectoryIsReadOnlyWithUrls) {
  EXPECT_TRUE(parse({{"VOLBACK_NOTIFICATIONS_DIR", "/etc/passwd"}}));
  const auto settings = parse({{"NOTIFICATION_URLS", "ntfy://h/t"}, {"VOLBACK_NOTIFICATIONS_DIR", "/etc/passwd"}});
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().message().find("VOLBACK_NOTIFICATIONS_DIR"), std::string::npos);
}

TEST(NotifySettingsTest, Timeout) {
  EXPECT_FALSE(parse({{"VOLBACK_NOTIFY_TIMEOUT", "100ms"}}));
  const auto settings = parse({{"VOLBACK_NOTIFY_TIMEOUT", "5s"}, {"VOLBACK_NOTIFY_SECRETS", "true"}});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->timeout, std::chrono::seconds(5));
  EXPECT_TRUE(settings->show_secrets);
}

}  // namespace
}  // namespace volback::notify
