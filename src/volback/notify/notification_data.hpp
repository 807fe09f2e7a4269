#pragma once
// The data offen passes to its notification templates (offen's NotificationData: Error,
// Config, Stats), and its conversion to a template value with offen's Go types:
//
//   .Error   error (nil when the run succeeded)
//   .Config  *Config: offen's configuration fields by their Go names (BackupSources,
//            BackupRetentionDays, …), filled by the caller (app/monitor knows them)
//   .Stats   *Stats {StartTime, EndTime time.Time; TookTime, LockedTime time.Duration;
//            LogOutput *bytes.Buffer; Containers {All, ToStop, Stopped, StopErrors uint};
//            Services {All, ToScaleDown, ScaledDown, ScaleDownErrors uint}; BackupFile
//            {Name, FullPath string; Size uint64}; Storages map[string]StorageStats
//            {Total, Pruned, PruneErrors uint}}

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <volback/notify/template_value.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::notify {

struct ContainerStats {
  std::uint64_t all = 0;
  std::uint64_t to_stop = 0;
  std::uint64_t stopped = 0;
  std::uint64_t stop_errors = 0;
};

struct ServiceStats {
  std::uint64_t all = 0;
  std::uint64_t to_scale_down = 0;
  std::uint64_t scaled_down = 0;
  std::uint64_t scale_down_errors = 0;
};

struct BackupFileStats {
  std::string name;
  std::string full_path;
  std::uint64_t size = 0;
};

struct StorageStats {
  std::uint64_t total = 0;
  std::uint64_t pruned = 0;
  std::uint64_t prune_errors = 0;
};

struct RunStats {
  util::TimePoint start{};
  util::TimePoint end{};
  std::chrono::nanoseconds took{};
  std::chrono::nanoseconds locked{};
  std::string log_output;
  ContainerStats containers;
  ServiceStats services;
  BackupFileStats backup_file;
  // Keyed by offen's storage names; offen always lists S3, WebDAV, SSH, Local, Azure,
  // Dropbox and GoogleDrive, and so does to_value.
  std::map<std::string, StorageStats> storages;
};

struct NotificationData {
  std::optional<std::string> error;  // nullopt: the run succeeded
  Value::Fields config;              // offen's Config fields, in its declaration order
  RunStats stats;
  util::TimeZone zone = util::TimeZone::utc();  // the times' zone (TZ)
};

// offen's storage names, as Stats.Storages always holds them.
const std::vector<std::string>& offen_storage_names();

// The template value of `data`, with offen's Go types (see above). Pure.
Value to_value(const NotificationData& data);

}  // namespace volback::notify
