#pragma once
// The listeners that watch one run, made from its monitoring settings
// (app/config/monitor_config.hpp): notifications, the ping and the metrics, in that
// order (the metrics count the notifications that failed). A command adds them to its
// list of listeners; nothing else changes.

#include <memory>
#include <span>
#include <vector>

#include <volback/app/config/monitor_config.hpp>
#include <volback/app/monitor/metrics.hpp>
#include <volback/app/monitor/notification_listener.hpp>
#include <volback/app/run/run_report.hpp>
#include <volback/notify/sender.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

struct MonitorDeps {
  util::Logger& log;
  const util::Clock& clock;
  // The daemon's store, which /metrics serves; null: a store of this run's own.
  MetricsStore* metrics = nullptr;
  NotificationTransports transports = {};
};

class RunMonitors {
 public:
  // `config` and `settings` (the schedule's) and the deps must outlive the monitors.
  RunMonitors(const MonitorConfig& config, const util::Settings& settings, const util::TimeZone& zone,
              MonitorDeps deps);

  std::span<RunListener* const> listeners() const { return m_listeners; }

 private:
  MetricsStore m_own_metrics;
  std::vector<std::unique_ptr<RunListener>> m_owned;
  std::vector<RunListener*> m_listeners;
};

}  // namespace volback::app
