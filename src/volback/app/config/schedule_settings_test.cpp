#include <volback/app/config/schedule_settings.hpp>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

util::MapSource schedule_env(std::map<std::string, std::string, std::less<>> values) {
  return util::MapSource(std::move(values), "environment");
}

TEST(ScheduleSettings, DefaultsToDailyWithoutJitter) {
  const auto source = schedule_env({});
  const util::Settings settings({&source});
  auto parsed = parse_schedule_settings(settings, util::TimeZone::utc());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(parsed->cron.expression(), "@daily");
  EXPECT_EQ(parsed->jitter.count(), 0);
}

TEST(ScheduleSettings, ErrorsNameTheVariable) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"BACKUP_CRON_EXPRESSION", "61 * * * *"},
                                                        {"BACKUP_CRON_EXPRESSION", "@every 0s"},
                                                        {"BACKUP_JITTER", "-1s"},
                                                        {"BACKUP_JITTER", "5 minutes"},
                                                        {"VOLBACK_HEALTH_GRACE", "banana"},
                                                        {"VOLBACK_HEALTH_GRACE", "-1h"}}) {
    const auto source = schedule_env({{name, value}});
    const util::Settings settings({&source});
    auto parsed = parse_schedule_settings(settings, util::TimeZone::utc());
    ASSERT_FALSE(parsed.has_value()) << name << "=" << value;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find(name), std::string::npos) << parsed.error().message();
  }
}

TEST(ScheduleSettings, HealthGrace) {
  const auto none = schedule_env({});
  EXPECT_EQ(parse_health_grace(util::Settings({&none})).value(), std::chrono::hours(1));
  const auto set = schedule_env({{"VOLBACK_HEALTH_GRACE", "90s"}});
  EXPECT_EQ(parse_schedule_settings(util::Settings({&set}), util::TimeZone::utc())->health_grace,
            std::chrono::seconds(90));
  const auto bad = schedule_env({{"VOLBACK_HEALTH_GRACE", "banana"}});
  const auto parsed = parse_health_grace(util::Settings({&bad}));
  ASSERT_FALSE(parsed);
  EXPECT_TRUE(parsed.error().message().starts_with("invalid value \"banana\" for VOLBACK_HEALTH_GRACE"))
    << parsed.error().message();
}

TEST(ScheduleSettings, LogFormat) {
  const auto json = schedule_env({{"LOG_FORMAT", "json"}});
  EXPECT_EQ(parse_log_format(util::Settings({&json})).value(), LogFormat::json);
  const auto none = schedule_env({});
  EXPECT_EQ(parse_log_format(util::Settings({&none})).value(), LogFormat::text);
  const auto bad = schedule_env({{"LOG_FORMAT", "xml"}});
  EXPECT_FALSE(parse_log_format(util::Settings({&bad})).has_value());
}

}  // namespace
}  // namespace volback::app
