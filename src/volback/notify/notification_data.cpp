#include <volback/notify/notification_data.hpp>

namespace volback::notify {

namespace {

Value uint_value(std::uint64_t v) {
  return Value::unsigned_integer(v, "uint");
}

Value storage_value(const StorageStats& s) {
  return Value::structure(
    "main.StorageStats",
    {{"Total", uint_value(s.total)}, {"Pruned", uint_value(s.pruned)}, {"PruneErrors", uint_value(s.prune_errors)}});
}

Value stats_value(const RunStats& s, const util::TimeZone& zone) {
  Value::Entries storages;
  for (const auto& name : offen_storage_names()) {
    storages[name] = storage_value(StorageStats{});
  }
  for (const auto& [name, stats] : s.storages) {
    storages[name] = storage_value(stats);
  }
  return Value::structure(
    "main.Stats",
    {
      {"StartTime", Value::time(s.start, zone)},
      {"EndTime", Value::time(s.end, zone)},
      {"TookTime", Value::duration(s.took)},
      {"LockedTime", Value::duration(s.locked)},
      {"LogOutput", Value::stringer(s.log_output)},
      {"Containers", Value::structure("main.ContainersStats", {{"All", uint_value(s.containers.all)},
                                                               {"ToStop", uint_value(s.containers.to_stop)},
                                                               {"Stopped", uint_value(s.containers.stopped)},
                                                               {"StopErrors", uint_value(s.containers.stop_errors)}})},
      {"Services",
       Value::structure("main.ServicesStats", {{"All", uint_value(s.services.all)},
                                               {"ToScaleDown", uint_value(s.services.to_scale_down)},
                                               {"ScaledDown", uint_value(s.services.scaled_down)},
                                               {"ScaleDownErrors", uint_value(s.services.scale_down_errors)}})},
      {"BackupFile",
       Value::structure("main.BackupFileStats", {{"Name", Value::string(s.backup_file.name)},
                                                 {"FullPath", Value::string(s.backup_file.full_path)},
                                                 {"Size", Value::unsigned_integer(s.backup_file.size, "uint64")}})},
      {"Storages", Value::map(std::move(storages), "map[string]main.StorageStats", storage_value(StorageStats{}))},
    },
    true);
}

}  // namespace

const std::vector<std::string>& offen_storage_names() {
  static const std::vector<std::string> names{"S3", "WebDAV", "SSH", "Local", "Azure", "Dropbox", "GoogleDrive"};
  return names;
}

Value to_value(const NotificationData& data) {
  return Value::structure("main.NotificationData",
                          {
                            {"Error", data.error ? Value::error(*data.error) : Value::nil("error")},
                            {"Config", Value::structure("main.Config", data.config, true)},
                            {"Stats", stats_value(data.stats, data.zone)},
                          });
}

}  // namespace volback::notify
