#include <volback/app/config/run_settings.hpp>

#include <array>

namespace volback::app {

namespace {

constexpr std::array k_run_specs{
  k_backup_filename, k_backup_filename_expand, k_tz,       k_lock_timeout, k_lock_file, k_state_dir,
  k_spool_dir,       k_backup_from_snapshot,   k_log_level};

util::Result<util::TimeZone> parse_zone(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(auto value, settings.get_optional(k_tz));
  if (!value) {
    return util::TimeZone::system_default();
  }
  // POSIX allows a leading ':' ("TZ=:Europe/Berlin").
  std::string_view name = *value;
  if (name.starts_with(':')) {
    name.remove_prefix(1);
  }
  auto zone = util::TimeZone::named(name);
  if (!zone) {
    return util::fail(util::Settings::invalid(k_tz, *value, "no such time zone in the tz database"));
  }
  return *zone;
}

}  // namespace

std::span<const util::SettingSpec> run_setting_specs() {
  return k_run_specs;
}

util::Result<RunSettings> parse_run_settings(const util::Settings& settings) {
  RunSettings run;
  VOLBACK_TRY_ASSIGN(run.filename_template, settings.get_string(k_backup_filename));
  VOLBACK_TRY_ASSIGN(run.expand_filename, settings.get_bool(k_backup_filename_expand));
  VOLBACK_TRY_ASSIGN(run.zone, parse_zone(settings));
  VOLBACK_TRY_ASSIGN(run.lock_timeout, settings.get_duration(k_lock_timeout));
  if (run.lock_timeout.count() < 0) {
    return util::fail(
      util::Settings::invalid(k_lock_timeout, *settings.raw(k_lock_timeout.name), "must not be negative"));
  }
  VOLBACK_TRY_ASSIGN(run.lock_file, settings.get_string(k_lock_file));
  VOLBACK_TRY_ASSIGN(run.state_dir, settings.get_string(k_state_dir));
  VOLBACK_TRY_ASSIGN(run.spool_dir, settings.get_string(k_spool_dir));
  VOLBACK_TRY_ASSIGN(run.from_snapshot, settings.get_bool(k_backup_from_snapshot));
  VOLBACK_TRY_ASSIGN(const auto level_text, settings.get_string(k_log_level));
  auto level = util::parse_log_level(level_text);
  if (!level) {
    return util::fail(util::Settings::invalid(k_log_level, level_text, "must be debug, info, warn or error"));
  }
  run.log_level = *level;
  return run;
}

util::TimeZone zone_or_default(const util::Settings& settings) {
  auto zone = parse_zone(settings);
  return zone ? *zone : util::TimeZone::system_default();
}

util::LogLevel log_level_or_default(const util::Settings& settings) {
  auto text = settings.get_string(k_log_level);
  if (!text) {
    return util::LogLevel::info;
  }
  auto level = util::parse_log_level(*text);
  return level ? *level : util::LogLevel::info;
}

}  // namespace volback::app
