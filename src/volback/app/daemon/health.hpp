#pragma once
// The health judgement of `volback healthcheck` (commands/healthcheck_command.hpp): from
// the state directory alone, it says whether the daemon's
// backups are happening. For each schedule the daemon recorded:
//   - its last run failed (any exit code but 0, so 3 incomplete and 4 partial count)
//     → unhealthy; cancelled runs (SIGTERM) are not a verdict and are ignored;
//   - overdue: the fire time that followed the later of the last run's start and the
//     daemon's start has passed by more than the grace without a run → unhealthy;
//   - a schedule that never fires is ignored.
// A reachability check that failed at daemon start keeps the daemon unhealthy until a
// run succeeds after that start.
// The restore drills of each schedule (records under drill-<schedule key>): the last
// drill failed → unhealthy; with VOLBACK_DRILL_MAX_AGE, no drill passed within it (from
// the later of the last passed drill's end and the daemon's start) → unhealthy.
// A fresh daemon is therefore healthy until its first fire time plus the grace passes.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/schedule/cron.hpp>
#include <volback/util/clock.hpp>

namespace volback::app {

struct HealthReport {
  bool healthy = true;
  std::vector<std::string> lines;  // one per schedule and per failing check
};

// The fire time a schedule waits for: the first after the later of its last run's start
// (nullopt: it has not run) and the daemon's start; nullopt when it never fires. A
// schedule is overdue once `now` is past this time plus the grace. Pure.
std::optional<util::TimePoint> due_time(const schedule::CronSchedule& cron,
                                        std::optional<util::TimePoint> last_run_start, util::TimePoint daemon_started);

// Pure. `runs` maps a schedule key to its records, oldest first.
HealthReport judge_health(const DaemonState& daemon, const std::map<std::string, std::vector<RunRecord>>& runs,
                          util::TimePoint now, std::chrono::nanoseconds grace);

}  // namespace volback::app
