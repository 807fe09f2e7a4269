#pragma once
// `volback backup`: validate the configuration, run one backup, report, and map the
// result to an exit code.

#include <optional>

#include <volback/app/backup/backup_job.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// Loads and validates the configuration (exit 2 on any invalid value, before anything
// else happens), builds the storage backends, runs the BackupJob and logs its outcome.
// On exit code 0 only, it logs "Backup completed successfully" and offen's last line,
// "Finished running backup tasks.". `hooks` run the exec-label commands; null: the
// settings' own (make_phase_hooks), with EXEC_FORWARD_OUTPUT going to the log.
// The outcome is recorded in VOLBACK_STATE_DIR as a run of the environment's schedule
// (run_history.hpp), for healthcheck.
ExitCode run_backup_command(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                            const util::CancelToken& cancel, Quiescer& quiescer, PhaseHooks* hooks = nullptr);

// What one backup command did, for the run history.
struct BackupReport {
  ExitCode exit_code = ExitCode::ok;
  util::TimePoint start{};  // when the run held the lock; the call's start if it never did
  util::TimePoint end{};    // when the run ended (before the lock was released, if it had it)
  std::optional<BackupOutcome> outcome;  // nullopt when the run failed before committing
  std::optional<util::Error> error;      // the error that ended the run, if any
};

// run_backup_command, returning everything it did. Same preconditions.
BackupReport run_backup_report(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                               const util::CancelToken& cancel, Quiescer& quiescer, PhaseHooks* hooks = nullptr);

}  // namespace volback::app
