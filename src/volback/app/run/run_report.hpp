#pragma once
// What a finished run did, and who hears of it. A command tells its RunListeners when a
// run starts (once its configuration is valid) and fills one RunReport when it ends,
// whatever the outcome: the run history (run_history.hpp) always hears of it, and the
// notifications, pings and metrics (app/monitor) join the list without touching the job.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/app/run/exit_code.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct BackendReport {
  std::string backend;                  // Backend::name()
  std::optional<util::Error> error;     // nullopt: the backend has the archive
  std::uint64_t bytes = 0;              // the archive's bytes it stored (0 when it failed)
  std::chrono::nanoseconds duration{};  // from the start of the archive until it had it (or failed)
  std::uint64_t listed = 0;             // its backups that the pruning rule considered
  std::uint64_t pruned = 0;             // those it deleted
  bool prune_refused = false;           // pruning would have deleted every backup: refused
};

// Containers, or Swarm services, around a run (offen's Stats.Containers and Services).
struct StopCounts {
  std::uint64_t all = 0;      // running before the run (services: all of them)
  std::uint64_t stopped = 0;  // stopped (scaled to 0) for the run
};

struct RunReport {
  std::string command = "backup";  // the verb that ran
  std::string schedule;            // ScheduleConfig::key(): "environment" or "confd.<file>"
  std::string source;              // the conf.d file, or "from environment"
  util::TimePoint start{};         // when the run held the lock (or gave up waiting for it)
  util::TimePoint end{};
  ExitCode exit_code = ExitCode::ok;
  bool cancelled = false;            // stopped by SIGTERM/SIGINT: no verdict on the data
  std::optional<util::Error> error;  // what ended the run, if anything did
  std::string archive;               // the archive made; empty when none
  std::uint64_t archive_bytes = 0;
  std::uint64_t entries = 0;
  std::vector<BackendReport> backends;  // one per backend that was to receive it
  std::vector<std::string> stopped;     // containers and services stopped meanwhile
  StopCounts containers;
  StopCounts services;
  std::chrono::nanoseconds downtime{};  // from stopping the first container to the restart
  std::chrono::nanoseconds locked{};    // waiting for the lock
  std::string archive_path;             // the sealed archive on this machine, when it stays here
  // What went wrong without failing the run (exit codes 3 and 4, refused pruning), one
  // line each, for the notifications of NOTIFICATION_LEVEL=warn.
  std::vector<std::string> warnings;
  std::string log_output;  // the run's log (bounded), for the notifications' LogOutput
  std::string log_tail;    // its last lines, for pings
};

// A run that is about to start: its configuration is valid.
struct RunStart {
  std::string schedule;  // ScheduleConfig::key()
  std::string source;
  util::TimePoint time{};
};

// A schedule of the daemon whose run did not happen, or did not finish, in time: the
// healthcheck's "overdue" (daemon/health.hpp). Its fire time `due` passed more than
// `grace` ago and no run that started since has finished. Heard once per due time.
struct ScheduleOverdue {
  std::string schedule;  // ScheduleConfig::key()
  std::string source;
  std::string expression;     // the cron expression
  util::TimePoint due{};      // the fire time whose run is missing
  util::TimePoint noticed{};  // when the daemon noticed: after due + grace
  std::chrono::nanoseconds grace{};
  bool running = false;  // a run of the schedule is in progress (waiting or still running)
};

// What the notifications and logs say of `overdue`: which schedule, when it was due, and
// whether a run is still in progress. Pure.
std::string describe_overdue(const ScheduleOverdue& overdue);

class RunListener {
 public:
  virtual ~RunListener() = default;
  // Hears that a run starts (after validation, before the lock). Must not throw or
  // block the run for long.
  virtual void run_started(const RunStart& start) { (void)start; }
  // Hears of one finished run. Must not throw; a problem of its own (a file that cannot
  // be written, a server that does not answer) is logged by the listener, never turned
  // into the run's failure.
  virtual void run_finished(const RunReport& report) = 0;
  // Hears that a schedule of the daemon is overdue. Must not throw or block for long.
  virtual void schedule_overdue(const ScheduleOverdue& overdue) { (void)overdue; }
};

// Hands `start` to each listener in order.
void notify_run_started(std::span<RunListener* const> listeners, const RunStart& start);

// Hands `report` to each listener in order.
void notify_run_finished(std::span<RunListener* const> listeners, const RunReport& report);

// Hands `overdue` to each listener in order.
void notify_schedule_overdue(std::span<RunListener* const> listeners, const ScheduleOverdue& overdue);

}  // namespace volback::app
