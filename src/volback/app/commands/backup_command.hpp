#pragma once
// One backup of one schedule: `volback backup` (the environment's schedule),
// `volback backup --config FILE` and each run of the daemon.
//
//   1. validates the schedule's configuration (exit 2, before anything else happens);
//   2. makes the backends, the quiescer and the exec hooks from it (deps.host);
//   3. checks every backend (preflight) before anything is stopped;
//   4. under run_locked (the lock, then the repairs of killed runs) runs the BackupJob;
//   5. logs the outcome in offen's words; on exit 0 only "Backup completed successfully"
//      and offen's last line, "Finished running backup tasks.";
//   6. reports the run to its listeners: the run history in VOLBACK_STATE_DIR (for
//      healthcheck), then `listeners`.

#include <span>

#include <volback/app/commands/host.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/monitor/metrics.hpp>
#include <volback/app/run/run_report.hpp>

namespace volback::app {

// Runs the schedule's backup now. The report's exit code is the command's. `metrics`:
// the daemon's store that /metrics serves (null: the run's own, for VOLBACK_METRICS_FILE).
RunReport run_backup(const ScheduleConfig& schedule, const CommandDeps& deps,
                     std::span<RunListener* const> listeners = {}, MetricsStore* metrics = nullptr);

// Tells the schedule's monitors (notifications, metrics) that the daemon found it
// overdue. The schedule's configuration was validated when the daemon started.
void report_overdue(const ScheduleConfig& schedule, const ScheduleOverdue& overdue, const CommandDeps& deps,
                    MetricsStore* metrics = nullptr);

}  // namespace volback::app
