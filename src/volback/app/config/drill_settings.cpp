#include <volback/app/config/drill_settings.hpp>

#include <array>

namespace volback::app {
namespace {

constexpr std::array k_drill_specs{k_drill_dir, k_drill_timeout, k_drill_cron, k_drill_max_age};

util::Result<std::chrono::nanoseconds> positive_duration(const util::Settings& settings,
                                                         const util::SettingSpec& spec) {
  VOLBACK_TRY_ASSIGN(const auto value, settings.get_duration(spec));
  if (value.count() <= 0) {
    return util::fail(util::Settings::invalid(spec, *settings.raw(spec.name), "must be positive"));
  }
  return value;
}

}  // namespace

std::span<const util::SettingSpec> drill_setting_specs() {
  return k_drill_specs;
}

util::Result<DrillSettings> parse_drill_settings(const util::Settings& settings, const std::string& spool_dir,
                                                 const util::TimeZone& zone) {
  DrillSettings drill;
  VOLBACK_TRY_ASSIGN(drill.dir, settings.get_string(k_drill_dir));
  if (drill.dir.empty()) {
    drill.dir = spool_dir;
  } else if (drill.dir.front() != '/') {
    return util::fail(util::Settings::invalid(k_drill_dir, drill.dir, "must be an absolute path"));
  }
  VOLBACK_TRY_ASSIGN(drill.timeout, positive_duration(settings, k_drill_timeout));
  VOLBACK_TRY_ASSIGN(const auto cron, settings.get_string(k_drill_cron));
  if (!cron.empty()) {
    auto parsed = schedule::parse_cron(cron, zone);
    if (!parsed) {
      return util::fail(util::Settings::invalid(k_drill_cron, cron, parsed.error().message()));
    }
    drill.cron = std::move(*parsed);
  }
  VOLBACK_TRY_ASSIGN(const auto max_age, settings.get_string(k_drill_max_age));
  if (!max_age.empty()) {
    VOLBACK_TRY_ASSIGN(drill.max_age, positive_duration(settings, k_drill_max_age));
  }
  return drill;
}

}  // namespace volback::app
