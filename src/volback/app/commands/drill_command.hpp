#pragma once
// `volback drill [BACKUP|latest] [--backend NAME]` and the daemon's VOLBACK_DRILL_CRON
// runs: a restore drill (app/restore/restore_drill.hpp) of one schedule's backups.
//
//   1. validates the configuration and the decryption keys (exit 2);
//   2. picks the backups: BACKUP (default: the newest with the schedule's prefix) on the
//      backend named, or on each configured backend in turn (a backend without it is
//      passed over with a warning; none having it is exit 1);
//   3. finds the containers labelled docker-volume-backup.drill-check and validates their
//      labels (exit 2 for an invalid drill-expect), before anything is restored;
//   4. under run_locked (never during a backup) drills each backup in turn;
//   5. reports the drill to the run history (records under "drill-<schedule key>", for
//      healthcheck) and the schedule's monitors: notifications and pings as for a backup,
//      and the drill's own metrics.
// Exit codes: 0 every drill passed, 1 one failed (the log names the file or the check),
// 2 configuration.

#include <optional>
#include <string>

#include <volback/app/commands/host.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/monitor/metrics.hpp>
#include <volback/app/run/run_report.hpp>

namespace volback::app {

struct DrillRequest {
  std::string backup = "latest";        // a backup name or "latest"
  std::string backend;                  // empty: each configured backend in turn
  std::optional<std::string> identity;  // --identity FILE (crypto/decryption_keys.hpp)
};

struct DrillCommandResult {
  RunReport report;  // its exit code is the command's
  std::string text;  // for stdout: one line per backup drilled, and each check
};

// Runs the drill now. `metrics`: the daemon's store that /metrics serves (null: the
// run's own, for VOLBACK_METRICS_FILE).
DrillCommandResult run_drill(const ScheduleConfig& schedule, const CommandDeps& deps, const DrillRequest& request,
                             MetricsStore* metrics = nullptr);

}  // namespace volback::app
