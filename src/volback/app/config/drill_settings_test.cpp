#include <volback/app/config/drill_settings.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

util::Result<DrillSettings> parse_drill(std::map<std::string, std::string, std::less<>> values) {
  const util::MapSource source(std::move(values), "environment");
  const util::Settings settings({&source});
  return parse_drill_settings(settings, "/spool", util::TimeZone::utc());
}

TEST(DrillSettings, DefaultsToTheSpoolAndFiveMinutesWithoutSchedule) {
  auto drill = parse_drill({});
  ASSERT_TRUE(drill) << drill.error().message();
  EXPECT_EQ(drill->dir, "/spool");
  EXPECT_EQ(drill->timeout, std::chrono::minutes(5));
  EXPECT_FALSE(drill->cron);
  EXPECT_FALSE(drill->max_age);
}

TEST(DrillSettings, ReadsEverySetting) {
  auto drill = parse_drill({{"VOLBACK_DRILL_DIR", "/var/lib/volback/drill"},
                            {"VOLBACK_DRILL_TIMEOUT", "90s"},
                            {"VOLBACK_DRILL_CRON", "0 5 * * 0"},
                            {"VOLBACK_DRILL_MAX_AGE", "192h"}});
  ASSERT_TRUE(drill) << drill.error().message();
  EXPECT_EQ(drill->dir, "/var/lib/volback/drill");
  EXPECT_EQ(drill->timeout, std::chrono::seconds(90));
  ASSERT_TRUE(drill->cron);
  EXPECT_EQ(drill->cron->expression(), "0 5 * * 0");
  EXPECT_EQ(drill->max_age, std::chrono::hours(192));
}

TEST(DrillSettings, ErrorsNameTheVariable) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"VOLBACK_DRILL_DIR", "drill"},
                                                        {"VOLBACK_DRILL_TIMEOUT", "0s"},
                                                        {"VOLBACK_DRILL_TIMEOUT", "soon"},
                                                        {"VOLBACK_DRILL_CRON", "61 * * * *"},
                                                        {"VOLBACK_DRILL_MAX_AGE", "-1h"}}) {
    auto drill = parse_drill({{name, value}});
    ASSERT_FALSE(drill) << name << "=" << value;
    EXPECT_EQ(drill.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(drill.error().message().find(name), std::string::npos) << drill.error().message();
  }
}

}  // namespace
}  // namespace volback::app
