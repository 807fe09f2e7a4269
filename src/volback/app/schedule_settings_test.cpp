#include <volback/app/schedule_settings.hpp>

#include <gtest/gtest.h>

#include <volback/app/check_config.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

util::MapSource env(std::map<std::string, std::string, std::less<>> values) {
  return util::MapSource(std::move(values), "environment");
}

TEST(ScheduleSettings, DefaultsToDailyWithoutJitter) {
  const auto source = env({});
  const util::Settings settings({&source});
  auto parsed = parse_schedule_settings(settings, util::TimeZone::utc());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(parsed->cron.expression(), "@daily");
  EXPECT_EQ(parsed->jitter.count(), 0);
}

TEST(ScheduleSettings, ErrorsNameTheVariable) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
         {"BACKUP_CRON_EXPRESSION", "61 * * * *"}, {"BACKUP_JITTER", "-1s"}, {"BACKUP_JITTER", "5 minutes"}}) {
    const auto source = env({{name, value}});
    const util::Settings settings({&source});
    auto parsed = parse_schedule_settings(settings, util::TimeZone::utc());
    ASSERT_FALSE(parsed.has_value()) << name << "=" << value;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find(name), std::string::npos) << parsed.error().message();
  }
}

TEST(ScheduleSettings, LogFormat) {
  const auto json = env({{"LOG_FORMAT", "json"}});
  EXPECT_EQ(parse_log_format(util::Settings({&json})).value(), LogFormat::json);
  const auto none = env({});
  EXPECT_EQ(parse_log_format(util::Settings({&none})).value(), LogFormat::text);
  const auto bad = env({{"LOG_FORMAT", "xml"}});
  EXPECT_FALSE(parse_log_format(util::Settings({&bad})).has_value());
}

TEST(PrintSchedules, WarningsFollowTheSourceLine) {
  volback::testing::TempDir dir;
  const auto source = env({{"VOLBACK_CONFD_DIR", dir / "none"},
                           {"BACKUP_ARCHIVE", dir.path()},
                           {"BACKUP_SOURCES", dir.path()},
                           {"BACKUP_CRON_EXPRESSION", "0 0 5 31 2 ?"}});
  const util::FixedClock clock(*util::parse_rfc3339("2026-11-26T10:00:00Z"));
  const auto rendered = render_all_schedules(source, clock);
  EXPECT_EQ(rendered.exit_code, ExitCode::ok) << rendered.text;
  EXPECT_TRUE(rendered.text.starts_with("source=from environment\nwarning: BACKUP_CRON_EXPRESSION 0 0 5 31 2 ? "
                                        "never fires"))
    << rendered.text;
}

}  // namespace
}  // namespace volback::app
