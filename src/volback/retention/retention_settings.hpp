#pragma once
// The retention settings (offen's BACKUP_RETENTION_DAYS, BACKUP_PRUNING_LEEWAY,
// BACKUP_PRUNING_PREFIX and BACKUP_SKIP_BACKENDS_FROM_PRUNE) and their parsing.
//
// Pruning is off unless BACKUP_RETENTION_DAYS is zero or more. What is pruned is decided
// by retention/prune_decision.hpp; this header only turns the variables into values.

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/retention/gfs_policy.hpp>
#include <volback/retention/retention_plan.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::retention {

inline constexpr util::SettingSpec k_backup_retention_days{
  "BACKUP_RETENTION_DAYS", "-1", util::Secret::no,
  "Delete backups older than this many days after each run; a negative number disables pruning."};

inline constexpr util::SettingSpec k_backup_pruning_leeway{
  "BACKUP_PRUNING_LEEWAY", "1m", util::Secret::no,
  "Go duration added to the pruning deadline so that run-time jitter does not keep an extra "
  "backup."};

inline constexpr util::SettingSpec k_backup_pruning_prefix{
  "BACKUP_PRUNING_PREFIX", "", util::Secret::no,
  "Only backups whose name starts with this prefix are considered for pruning."};

inline constexpr util::SettingSpec k_backup_skip_backends_from_prune{
  "BACKUP_SKIP_BACKENDS_FROM_PRUNE", "", util::Secret::no,
  "Comma-separated storage backends never pruned: S3, WebDAV, SSH, Local, Azure, Dropbox, "
  "GoogleDrive (any case)."};

inline constexpr util::SettingSpec k_backup_prune_min_ratio{
  "BACKUP_PRUNE_MIN_RATIO", "0.5", util::Secret::no,
  "Pruning is skipped (exit 3) when the new backup is smaller than this fraction of the previous backup of the "
  "pruning prefix, or is not complete in every backend; 0 disables the size check."};

inline constexpr util::SettingSpec k_backup_verify_before_prune{
  "BACKUP_VERIFY_BEFORE_PRUNE", "false", util::Secret::no,
  "true: before pruning, the new backup is read back in full (from the local backend, else the first) and checked "
  "against its manifest; a backup that fails prunes nothing (exit 3)."};

// GFS retention (restic's forget rules, gfs_policy.hpp): 0 is off, -1 keeps every period.
inline constexpr util::SettingSpec k_backup_retention_keep_last{"BACKUP_RETENTION_KEEP_LAST", "0", util::Secret::no,
                                                                "GFS: keep the N newest backups; -1 all, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_hourly{
  "BACKUP_RETENTION_KEEP_HOURLY", "0", util::Secret::no,
  "GFS: keep the newest backup of each of the last N hours that have one; -1 every hour, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_daily{
  "BACKUP_RETENTION_KEEP_DAILY", "0", util::Secret::no,
  "GFS: keep the newest backup of each of the last N days (in TZ) that have one; -1 every day, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_weekly{
  "BACKUP_RETENTION_KEEP_WEEKLY", "0", util::Secret::no,
  "GFS: keep the newest backup of each of the last N ISO weeks that have one; -1 every week, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_monthly{
  "BACKUP_RETENTION_KEEP_MONTHLY", "0", util::Secret::no,
  "GFS: keep the newest backup of each of the last N months that have one; -1 every month, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_yearly{
  "BACKUP_RETENTION_KEEP_YEARLY", "0", util::Secret::no,
  "GFS: keep the newest backup of each of the last N years that have one; -1 every year, 0 off."};
inline constexpr util::SettingSpec k_backup_retention_keep_within{
  "BACKUP_RETENTION_KEEP_WITHIN", "", util::Secret::no,
  "GFS: keep every backup less than this Go duration older than the newest backup (e.g. 72h)."};

// Every retention setting, for print-config. The span refers to static storage.
std::span<const util::SettingSpec> retention_setting_specs();

// The backend names BACKUP_SKIP_BACKENDS_FROM_PRUNE accepts, in lower case.
std::span<const std::string_view> prunable_backend_names();

struct RetentionSettings {
  int retention_days = -1;
  std::chrono::nanoseconds leeway{std::chrono::minutes{1}};
  std::string prefix;
  std::vector<std::string> skip_backends;  // lower-case names from prunable_backend_names()
  double prune_min_ratio = 0.5;            // 0 to 1 (prune_guard.hpp)
  bool verify_before_prune = false;        // BACKUP_VERIFY_BEFORE_PRUNE
  GfsPolicy gfs;                           // BACKUP_RETENTION_KEEP_*; empty: off

  // Whether pruning runs at all: offen's rule or a GFS rule is set.
  bool enabled() const { return retention_days >= 0 || !gfs.empty(); }

  // The rules for retention_plan.hpp. Precondition: enabled().
  RetentionRules rules() const;

  // Whether `backend_name` (e.g. "Local", "s3") is listed in skip_backends, ignoring case.
  bool skips(std::string_view backend_name) const;
};

// Reads the retention settings. Errors (all invalid_argument, naming the variable):
// BACKUP_RETENTION_DAYS not an integer (in int range), BACKUP_PRUNING_LEEWAY not a Go
// duration, a BACKUP_RETENTION_KEEP_* count below -1 or a KEEP_WITHIN that is not a
// positive Go duration, BACKUP_SKIP_BACKENDS_FROM_PRUNE naming an unknown backend, and any error of
// Settings::lookup (NAME and NAME_FILE both set, unreadable NAME_FILE).
util::Result<RetentionSettings> parse_retention_settings(const util::Settings& settings);

}  // namespace volback::retention
