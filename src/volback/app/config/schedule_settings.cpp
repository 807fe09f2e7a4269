#include <volback/app/config/schedule_settings.hpp>

#include <array>

namespace volback::app {

namespace {

constexpr std::array k_schedule_specs{k_cron_expression, k_jitter, k_confd_dir, k_health_grace, k_log_format};

}  // namespace

std::span<const util::SettingSpec> schedule_setting_specs() {
  return k_schedule_specs;
}

util::Result<ScheduleSettings> parse_schedule_settings(const util::Settings& settings, const util::TimeZone& zone) {
  VOLBACK_TRY_ASSIGN(const auto expression, settings.get_string(k_cron_expression));
  auto cron = schedule::parse_cron(expression, zone);
  if (!cron) {
    return util::fail(util::Settings::invalid(k_cron_expression, expression, cron.error().message()));
  }
  VOLBACK_TRY_ASSIGN(const auto jitter, settings.get_duration(k_jitter));
  if (jitter.count() < 0) {
    return util::fail(
      util::Settings::invalid(k_jitter, settings.raw(k_jitter.name).value_or(""), "must not be negative"));
  }
  VOLBACK_TRY_ASSIGN(const auto grace, parse_health_grace(settings));
  return ScheduleSettings{std::move(*cron), jitter, grace};
}

util::Result<std::chrono::nanoseconds> parse_health_grace(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto grace, settings.get_duration(k_health_grace));
  if (grace.count() < 0) {
    return util::fail(
      util::Settings::invalid(k_health_grace, settings.raw(k_health_grace.name).value_or(""), "must not be negative"));
  }
  return grace;
}

util::Result<LogFormat> parse_log_format(const util::Settings& settings) {
  static constexpr std::array<std::string_view, 2> k_allowed{"text", "json"};
  VOLBACK_TRY_ASSIGN(const auto format, settings.get_choice(k_log_format, k_allowed));
  return format == "json" ? LogFormat::json : LogFormat::text;
}

}  // namespace volback::app
