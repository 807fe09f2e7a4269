#pragma once
// Settings of the scheduler: when a schedule fires, its random delay, where conf.d
// lives, how healthcheck judges lateness, and the log format.

#include <chrono>
#include <span>
#include <string>

#include <volback/schedule/cron.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

inline constexpr util::SettingSpec k_cron_expression{
  "BACKUP_CRON_EXPRESSION", "@daily", util::Secret::no,
  "When the daemon runs this schedule: 5 cron fields, or 6 with seconds first, a descriptor such as "
  "@daily, or @every <duration>; CRON_TZ= or TZ= prefixes set its time zone."};
inline constexpr util::SettingSpec k_jitter{
  "BACKUP_JITTER", "0s", util::Secret::no,
  "A random delay of up to this Go duration before each scheduled run, taken before the lock."};
inline constexpr util::SettingSpec k_confd_dir{
  "VOLBACK_CONFD_DIR", "/etc/dockervolumebackup/conf.d", util::Secret::no,
  "Directory of schedule files (one env file per schedule); when it does not exist, the environment "
  "is the only schedule."};
inline constexpr util::SettingSpec k_health_grace{
  "VOLBACK_HEALTH_GRACE", "1h", util::Secret::no,
  "How long after a missed fire time `volback healthcheck` still reports healthy, and the daemon "
  "notifies the schedule as overdue."};
inline constexpr util::SettingSpec k_log_format{"LOG_FORMAT", "text", util::Secret::no,
                                                "Log format: text (Go slog's layout) or json."};

std::span<const util::SettingSpec> schedule_setting_specs();

struct ScheduleSettings {
  schedule::CronSchedule cron;
  std::chrono::nanoseconds jitter{};
  std::chrono::nanoseconds health_grace{};
};

// Parses BACKUP_CRON_EXPRESSION (in `zone` unless it has a zone prefix; an @every
// interval of at least 1 s), BACKUP_JITTER (not negative) and VOLBACK_HEALTH_GRACE
// (parse_health_grace), so that the daemon, check-config and print-config refuse a bad
// value before anything is scheduled. invalid_argument naming the variable.
util::Result<ScheduleSettings> parse_schedule_settings(const util::Settings& settings, const util::TimeZone& zone);

// VOLBACK_HEALTH_GRACE: a Go duration, not negative. `volback healthcheck` reads it from
// the environment. invalid_argument naming the variable.
util::Result<std::chrono::nanoseconds> parse_health_grace(const util::Settings& settings);

enum class LogFormat { text, json };

// LOG_FORMAT; invalid_argument for anything but text or json.
util::Result<LogFormat> parse_log_format(const util::Settings& settings);

}  // namespace volback::app
