#pragma once
// What the daemon and each run leave in VOLBACK_STATE_DIR, for `volback healthcheck`
// (a separate process) and for people:
//
//   <state>/daemon.json                    the running daemon: start time, pid, its
//                                          schedules and the reachability checks at start
//   <state>/runs/<schedule key>/<n>.json   one file per run: start, end, exit code,
//                                          archive, backends (the newest 100 are kept)
//   <state>/runs/drill-<schedule key>/<n>.json  the same for the schedule's restore drills
//
// Files are written to a temporary name and renamed, so a reader never sees half a file.
// Times are RFC 3339 in UTC with nanoseconds. Errors and check results are written with
// the user info of any URL in them redacted (util::redact_url_userinfo).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/run/run_report.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct BackendRecord {
  std::string name;
  bool ok = false;
  std::string error;  // empty when ok
};

struct RunRecord {
  std::string schedule;     // ScheduleConfig::key()
  std::string source;       // the conf.d file or "from environment"
  util::TimePoint start{};  // when the run held the lock (or gave up waiting for it)
  util::TimePoint end{};
  int exit_code = 0;
  bool cancelled = false;  // stopped by SIGTERM/SIGINT; not a verdict on the backup
  std::string archive;     // empty when no archive was made
  std::vector<BackendRecord> backends;
  std::string error;  // the fatal error, if any
};

struct CheckResult {
  std::string name;  // "local directory /archive", "docker", "s3 bucket …"
  bool ok = false;
  std::string detail;  // why it failed, or what was found; never a secret
};

struct ScheduleState {
  std::string key;
  std::string source;
  std::string expression;
  std::string zone;                                       // the zone the expression is evaluated in without a prefix
  std::string drill_expression;                           // VOLBACK_DRILL_CRON; empty when drills are not scheduled
  std::optional<std::chrono::nanoseconds> drill_max_age;  // VOLBACK_DRILL_MAX_AGE
};

struct DaemonState {
  util::TimePoint started{};
  long pid = 0;
  std::vector<ScheduleState> schedules;
  std::vector<CheckResult> checks;
};

// Writes one run's record. Errors: permanent/not_found from the file system.
util::Result<void> write_run_record(const std::string& state_dir, const RunRecord& record);

// Where the restore drills of schedule `schedule_key` keep their records:
// "drill-<schedule key>". Pure.
std::string drill_history_key(std::string_view schedule_key);

// The record of a finished run (a restore drill's under drill_history_key). Pure.
RunRecord make_run_record(const RunReport& report);

// The run listener that keeps the history: each finished run's record goes to
// `state_dir`; one that cannot be written is a warning (healthcheck will not see it),
// never a failed run.
class HistoryListener final : public RunListener {
 public:
  HistoryListener(std::string state_dir, util::Logger& log) : m_state_dir(std::move(state_dir)), m_log(log) {}
  void run_finished(const RunReport& report) override;

 private:
  std::string m_state_dir;
  util::Logger& m_log;
};

// The records of one schedule, oldest first; empty when there are none. Unreadable or
// malformed files are skipped.
std::vector<RunRecord> read_run_records(const std::string& state_dir, const std::string& schedule_key);

util::Result<void> write_daemon_state(const std::string& state_dir, const DaemonState& state);

// not_found when no daemon has written its state; corrupt when the file is malformed.
util::Result<DaemonState> read_daemon_state(const std::string& state_dir);

}  // namespace volback::app
