#pragma once
// The run listener that keeps the Prometheus metrics (metrics.hpp) of each run in a
// store, shared with the daemon's /metrics, and, with VOLBACK_METRICS_FILE, writes the
// store to that file after every run: to a temporary file beside it, then renamed over
// it, so node_exporter's textfile collector never reads half a file. The file's earlier
// content is read back first, so its counters and last success times carry over from
// run to run and from schedule to schedule. A file that cannot be written is a warning.

#include <cstdint>
#include <string>

#include <volback/app/monitor/metrics.hpp>
#include <volback/app/monitor/notification_listener.hpp>
#include <volback/app/run/run_report.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

class MetricsListener final : public RunListener {
 public:
  // `store`, `log` and `notifications` (whose failures are counted; may be null) must
  // outlive the listener. `file` may be empty.
  MetricsListener(MetricsStore& store, std::string file, util::Logger& log,
                  const NotificationListener* notifications = nullptr);

  void run_finished(const RunReport& report) override;
  // Sets volback_schedule_overdue (the next finished run clears it) and writes the file.
  void schedule_overdue(const ScheduleOverdue& overdue) override;

 private:
  std::uint64_t notification_failures() const;
  void load_file();
  void write_file();

  MetricsStore& m_store;
  std::string m_file;
  util::Logger& m_log;
  const NotificationListener* m_notifications;
};

}  // namespace volback::app
