#pragma once
// Settings of a run as a whole: naming the archive, time zone, locking and where
// volback keeps its own files.

#include <chrono>
#include <span>
#include <string>

#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

inline constexpr util::SettingSpec k_backup_filename{
  "BACKUP_FILENAME", "backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}", util::Secret::no,
  "Archive name: strftime verbs plus {{ .Extension }} (tar, tar.gz or tar.zst)."};
inline constexpr util::SettingSpec k_backup_filename_expand{
  "BACKUP_FILENAME_EXPAND", "false", util::Secret::no,
  "Expand $VAR in BACKUP_FILENAME, BACKUP_LATEST_SYMLINK and BACKUP_PRUNING_PREFIX."};
inline constexpr util::SettingSpec k_tz{
  "TZ", "", util::Secret::no, "Time zone of filenames, logs and schedules (unset: /etc/localtime, else UTC)."};
inline constexpr util::SettingSpec k_lock_timeout{"LOCK_TIMEOUT", "60m", util::Secret::no,
                                                  "How long a run waits for the global lock (Go duration)."};
inline constexpr util::SettingSpec k_lock_file{"VOLBACK_LOCK_FILE", "/var/lock/dockervolumebackup.lock",
                                               util::Secret::no,
                                               "The global lock file shared by every run in this container."};
inline constexpr util::SettingSpec k_state_dir{"VOLBACK_STATE_DIR", "/var/lib/volback", util::Secret::no,
                                               "Where volback keeps its state (crash journal, run history)."};
inline constexpr util::SettingSpec k_spool_dir{
  "VOLBACK_SPOOL_DIR", "/tmp", util::Secret::no,
  "Where the archive is spooled when containers are stopped and no local backend exists, "
  "where BACKUP_FROM_SNAPSHOT copies the sources, and where the repository's packs are built "
  "(unnamed files, two of 16 MiB at a time)."};
inline constexpr util::SettingSpec k_backup_from_snapshot{
  "BACKUP_FROM_SNAPSHOT", "false", util::Secret::no,
  "Deprecated by offen: copy BACKUP_SOURCES into VOLBACK_SPOOL_DIR while the containers are "
  "stopped (reflinks where the file system has them), restart them, and archive the copy."};
inline constexpr util::SettingSpec k_log_level{"LOG_LEVEL", "info", util::Secret::no,
                                               "Log level: debug, info, warn or error."};

std::span<const util::SettingSpec> run_setting_specs();

struct RunSettings {
  std::string filename_template;
  bool expand_filename = false;
  util::TimeZone zone = util::TimeZone::utc();
  std::chrono::nanoseconds lock_timeout{};
  std::string lock_file;
  std::string state_dir;
  std::string spool_dir;
  bool from_snapshot = false;  // BACKUP_FROM_SNAPSHOT
  util::LogLevel log_level = util::LogLevel::info;
};

// Reads and validates the run settings. TZ falls back to the system zone.
util::Result<RunSettings> parse_run_settings(const util::Settings& settings);

// Only the time zone and log level, so that a logger can be built before the rest of
// the configuration is validated. Invalid values fall back to the defaults here; the
// full parse reports them.
util::TimeZone zone_or_default(const util::Settings& settings);
util::LogLevel log_level_or_default(const util::Settings& settings);

}  // namespace volback::app
