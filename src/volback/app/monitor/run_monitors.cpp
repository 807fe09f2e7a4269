#include <volback/app/monitor/run_monitors.hpp>

#include <volback/app/monitor/metrics_listener.hpp>
#include <volback/app/monitor/ping_listener.hpp>

namespace volback::app {

RunMonitors::RunMonitors(const MonitorConfig& config, const util::Settings& settings, const util::TimeZone& zone,
                         MonitorDeps deps) {
  const NotificationListener* notifications = nullptr;
  if (config.notify.enabled()) {
    auto listener =
      std::make_unique<NotificationListener>(config.notify, settings, zone, deps.log, deps.clock, deps.transports);
    notifications = listener.get();
    m_owned.push_back(std::move(listener));
  }
  if (config.ping.enabled()) {
    m_owned.push_back(std::make_unique<PingListener>(config.ping, deps.log, deps.transports.http));
  }
  if (deps.metrics != nullptr || !config.metrics.file.empty()) {
    MetricsStore& store = deps.metrics != nullptr ? *deps.metrics : m_own_metrics;
    m_owned.push_back(std::make_unique<MetricsListener>(store, config.metrics.file, deps.log, notifications));
  }
  for (const auto& listener : m_owned) {
    m_listeners.push_back(listener.get());
  }
}

}  // namespace volback::app
