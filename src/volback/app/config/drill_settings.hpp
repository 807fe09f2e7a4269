#pragma once
// Settings of the restore drill (`volback drill`, app/restore/restore_drill.hpp): where it
// restores, how long an application check may take, when the daemon runs it and how old
// the last good drill may be before the healthcheck says unhealthy.

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include <volback/schedule/cron.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

inline constexpr util::SettingSpec k_drill_dir{
  "VOLBACK_DRILL_DIR", "", util::Secret::no,
  "Where a restore drill restores the backup, in a scratch directory removed afterwards (default: "
  "VOLBACK_SPOOL_DIR). For application checks it must lie on a volume or bind mount of volback's container."};
inline constexpr util::SettingSpec k_drill_timeout{
  "VOLBACK_DRILL_TIMEOUT", "5m", util::Secret::no,
  "How long a drill retries an application check (docker-volume-backup.drill-check) before it fails."};
inline constexpr util::SettingSpec k_drill_cron{
  "VOLBACK_DRILL_CRON", "", util::Secret::no,
  "When the daemon runs a restore drill of the newest backup (a cron expression as BACKUP_CRON_EXPRESSION); "
  "empty: never."};
inline constexpr util::SettingSpec k_drill_max_age{
  "VOLBACK_DRILL_MAX_AGE", "", util::Secret::no,
  "When set (a Go duration), `volback healthcheck` reports unhealthy when no drill passed within it."};

std::span<const util::SettingSpec> drill_setting_specs();

struct DrillSettings {
  std::string dir;  // VOLBACK_DRILL_DIR, or the spool directory
  std::chrono::nanoseconds timeout{};
  std::optional<schedule::CronSchedule> cron;
  std::optional<std::chrono::nanoseconds> max_age;
};

// Parses the drill settings; `spool_dir` is the default directory and `zone` the cron
// expression's zone without a prefix. invalid_argument naming the variable: a relative
// directory, a timeout or max age that is not a positive Go duration, a bad cron
// expression.
util::Result<DrillSettings> parse_drill_settings(const util::Settings& settings, const std::string& spool_dir,
                                                 const util::TimeZone& zone);

}  // namespace volback::app
