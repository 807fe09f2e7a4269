#pragma once
// `volback daemon` (also `backup -foreground`, and `volback` without a command): runs
// every schedule on its cron expression until SIGTERM or SIGINT.
//
//   start:   every schedule is validated: an unreadable conf.d file, an invalid value,
//            cron expression or unsupported variable disables that schedule alone, with
//            an error naming the file and a failing check in daemon.json (healthcheck
//            reports unhealthy); with no valid schedule at all the daemon exits 2. Each
//            valid schedule is logged with its
//            next fire time, and a schedule that never fires with a warning; the start
//            time and schedules go to <state>/daemon.json. The reachability checks run
//            beside the schedules (a network that comes up late holds nothing up); they
//            are logged and added to daemon.json, and a failure only marks health failing.
//   fire:    the schedule's run waits BACKUP_JITTER (a random delay, before the lock,
//            so it holds up no other schedule), then takes the global lock like any run;
//            schedules therefore run one at a time. A schedule whose previous run is
//            still waiting or running skips that fire, with a warning. Each run's outcome
//            is recorded (run_history.hpp). A failed run never stops the daemon.
//   overdue: a schedule whose fire time passed more than VOLBACK_HEALTH_GRACE (the
//            schedule's) ago without a run that started since and finished (the
//            healthcheck's notion, health.hpp: a run stuck waiting for the lock or still
//            running, or a fire time missed while the host slept) is logged as an
//            error and reported once per due time through `schedule_overdue`; the next
//            finished run clears it.
//   stop:    when `cancel` fires, no new run starts, a run in progress is cancelled
//            (uploads aborted, containers resumed by the job) and run_daemon returns ok.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/app/run/run_report.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

// What the daemon asks of the rest of volback: the scheduler knows when to run, not
// what a run does.
struct DaemonDeps {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  // Runs the schedule's backup now (taking the global lock) and records it; returns its
  // report. Called on a worker thread, one run at a time per schedule.
  std::function<RunReport(const ScheduleConfig& schedule)> run_schedule;
  // The read-only reachability checks of a valid schedule, at start.
  std::function<std::vector<CheckResult>(const BackupConfig& config)> check_reachability;
  // Tells the schedule's listeners that it is overdue. Called on a thread of its own, at
  // most once at a time per schedule; may be empty.
  std::function<void(const ScheduleConfig& schedule, const ScheduleOverdue& overdue)> schedule_overdue = {};
  // Runs the schedule's restore drill now (taking the global lock) and records it: for
  // schedules with VOLBACK_DRILL_CRON, on their own slot (a drill and a backup never
  // overlap: both take the lock). Empty: drills are not scheduled.
  std::function<RunReport(const ScheduleConfig& schedule)> run_drill = {};
};

// Runs the scheduler. `state_dir` is where daemon.json and the run records go.
// Returns usage when no schedule is valid, ok once `cancel` fired.
ExitCode run_daemon(const Schedules& schedules, const std::string& state_dir, DaemonDeps deps);

// The time zone files that /proc/self/mountinfo shows bind-mounted (/etc/localtime,
// /etc/timezone, /usr/share/zoneinfo), for offen's deprecation warning. Pure.
std::vector<std::string> bind_mounted_zone_files(std::string_view mountinfo);

}  // namespace volback::app
