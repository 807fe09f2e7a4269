#include <volback/app/monitor/notification_data.hpp>

namespace volback::app {

notify::NotificationData make_notification_data(const RunReport& report, notify::Value::Fields config,
                                                std::optional<std::string> error, const util::TimeZone& zone) {
  notify::NotificationData data;
  data.error = std::move(error);
  data.config = std::move(config);
  data.zone = zone;
  auto& s = data.stats;
  s.start = report.start;
  s.end = report.end;
  s.took = report.end - report.start;
  s.locked = report.locked;
  s.log_output = report.log_output;
  s.containers = {report.containers.all, report.containers.stopped, report.containers.stopped, 0};
  s.services = {report.services.all, report.services.stopped, report.services.stopped, 0};
  s.backup_file = {report.archive, report.archive_path.empty() ? report.archive : report.archive_path,
                   report.archive_bytes};
  for (const auto& backend : report.backends) {
    s.storages[backend.backend] = {backend.listed, backend.pruned, 0};
  }
  return data;
}

}  // namespace volback::app
