#include <volback/app/monitor/metrics_listener.hpp>

#include <volback/fs/atomic_file.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

MetricsListener::MetricsListener(MetricsStore& store, std::string file, util::Logger& log,
                                 const NotificationListener* notifications)
  : m_store(store), m_file(std::move(file)), m_log(log), m_notifications(notifications) {}

void MetricsListener::run_finished(const RunReport& report) {
  load_file();
  m_store.record(report, notification_failures());
  write_file();
}

void MetricsListener::schedule_overdue(const ScheduleOverdue& overdue) {
  load_file();
  m_store.record_overdue(overdue, notification_failures());
  write_file();
}

std::uint64_t MetricsListener::notification_failures() const {
  return m_notifications != nullptr ? m_notifications->failures() : 0;
}

void MetricsListener::load_file() {
  if (m_file.empty()) {
    return;
  }
  if (auto previous = util::read_whole_file(m_file)) {
    m_store.merge_missing(parse_metrics(*previous));
  }
}

void MetricsListener::write_file() {
  if (m_file.empty()) {
    return;
  }
  if (auto written = fs::write_file_atomically(m_file, m_store.render(), 0644); !written) {
    m_log.warn("Could not write the metrics file", {{"file", m_file}, {"error", written.error().message()}});
  }
}

}  // namespace volback::app
