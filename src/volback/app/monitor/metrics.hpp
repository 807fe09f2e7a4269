#pragma once
// volback's Prometheus metrics: what the last run of each schedule did, and counters of
// runs by result. One text in Prometheus's exposition format (version 0.0.4) serves
// both the textfile collector (VOLBACK_METRICS_FILE) and the daemon's /metrics
// (VOLBACK_METRICS_LISTEN). Every series is labelled by schedule ("environment",
// "confd.<file>"); the backend series also by backend:
//
//   volback_last_run_start_timestamp_seconds      gauge  when the last run started
//   volback_last_run_end_timestamp_seconds        gauge  when it ended
//   volback_last_success_timestamp_seconds        gauge  when the last run with exit code 0 ended (0: never)
//   volback_last_run_duration_seconds             gauge  how long the last run took
//   volback_last_run_exit_code                    gauge  its exit code (0 ok … 4 partial)
//   volback_last_archive_size_bytes               gauge  its archive's size
//   volback_last_archive_files                    gauge  its archive's entries
//   volback_last_containers_stopped               gauge  containers and services stopped
//   volback_last_downtime_seconds                 gauge  how long they were down
//   volback_last_pruned_backups                   gauge  backups it pruned
//   volback_last_backend_upload_size_bytes        gauge  bytes each backend stored
//   volback_last_backend_upload_duration_seconds  gauge  until each backend had the archive
//   volback_last_backend_success                  gauge  1 when the backend has it, else 0
//   volback_runs_total{result}                    counter  runs by result: success,
//                                                  incomplete, partial, failed, usage, cancelled
//   volback_schedule_overdue                      gauge  1 while the daemon finds the schedule
//                                                  overdue (daemon.hpp), 0 once a run finished
//   volback_overdue_total                         counter  times the schedule was found overdue
//   volback_notification_failures_total           counter  notifications not delivered
//   volback_last_drill_end_timestamp_seconds      gauge  when the last restore drill ended (0: never)
//   volback_last_drill_success_timestamp_seconds  gauge  when the last drill that passed ended (0: never)
//   volback_last_drill_duration_seconds           gauge  how long the last drill took
//   volback_last_drill_exit_code                  gauge  its exit code (0 passed, 1 failed, 2 usage)
//   volback_drills_total{result}                  counter  drills by result
// A restore drill (RunReport::command "drill") sets only the drill series.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <volback/app/run/run_report.hpp>

namespace volback::app {

struct BackendMetrics {
  std::uint64_t bytes = 0;
  double seconds = 0;
  bool ok = false;
};

struct ScheduleMetrics {
  double last_start = 0;  // Unix seconds
  double last_end = 0;
  double last_success = 0;  // 0: never
  double duration = 0;
  int exit_code = 0;
  std::uint64_t archive_bytes = 0;
  std::uint64_t archive_files = 0;
  std::uint64_t containers_stopped = 0;
  double downtime = 0;
  std::uint64_t pruned = 0;
  std::map<std::string, BackendMetrics> backends;
  std::map<std::string, std::uint64_t> runs;  // by result
  std::uint64_t notification_failures = 0;
  bool overdue = false;
  std::uint64_t overdue_total = 0;
  double last_drill_end = 0;  // Unix seconds; 0: never
  double last_drill_success = 0;
  double drill_duration = 0;
  int drill_exit_code = 0;
  std::map<std::string, std::uint64_t> drills;  // by result
};

using MetricsBySchedule = std::map<std::string, ScheduleMetrics>;

// The result label of a run: success, incomplete, partial, failed, usage or cancelled.
std::string_view run_result(const RunReport& report);

// `metrics` after `report`; counters go on from their values. Pure.
void record_run(ScheduleMetrics& metrics, const RunReport& report, std::uint64_t notification_failures);

// `metrics` after the daemon found the schedule overdue. Pure.
void record_overdue(ScheduleMetrics& metrics, std::uint64_t notification_failures);

// The exposition text: HELP and TYPE for every family, then its series. Pure.
std::string render_metrics(const MetricsBySchedule& metrics);

// Reads back what render_metrics wrote (a previous run's file), so that counters and the
// last success carry over from run to run. Lines it does not know are ignored. Pure.
MetricsBySchedule parse_metrics(std::string_view text);

// The metrics of every schedule a process has seen; thread-safe.
class MetricsStore {
 public:
  // Adds the schedules of `loaded` that the store does not have yet.
  void merge_missing(const MetricsBySchedule& loaded);
  void record(const RunReport& report, std::uint64_t notification_failures);
  void record_overdue(const ScheduleOverdue& overdue, std::uint64_t notification_failures);
  std::string render() const;

 private:
  mutable std::mutex m_mutex;
  MetricsBySchedule m_metrics;
};

}  // namespace volback::app
