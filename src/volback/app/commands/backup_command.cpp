#include <volback/app/commands/backup_command.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/backup/backup_job.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/containers/exec_phase_hooks.hpp>
#include <volback/app/config/backends.hpp>
#include <volback/app/daemon/scheduled_run.hpp>

namespace volback::app {

namespace {

std::string format_seconds(std::chrono::nanoseconds d) {
  return fmt::format("{:.3f}s", std::chrono::duration<double>(d).count());
}

void log_stored(const BackupOutcome& outcome, util::Logger& log) {
  for (const auto& result : outcome.backends) {
    if (!result.error) {
      log.info(fmt::format("Stored backup `{}` in backend `{}`.", outcome.archive_name, result.backend));
    }
  }
}

}  // namespace

ExitCode run_backup_command(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                            const util::CancelToken& cancel, Quiescer& quiescer, PhaseHooks* hooks) {
  const auto report = run_backup_report(settings, log, clock, cancel, quiescer, hooks);
  // A one-shot run is the environment's schedule, for healthcheck.
  record_run(settings, {}, "environment", std::string(k_from_environment), report, cancel, log);
  return report.exit_code;
}

BackupReport run_backup_report(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                               const util::CancelToken& cancel, Quiescer& quiescer, PhaseHooks* hooks) {
  BackupReport report;
  report.start = clock.now();
  auto config = load_backup_config(settings);
  if (!config) {
    log.error(config.error().message());
    report.exit_code = ExitCode::usage;
    report.error = config.error();
    report.end = clock.now();
    return report;
  }
  const std::string source = config->archive.source;
  auto backends = create_backends(*config, log, clock, cancel);
  if (auto checked = preflight_backends(backends, config->retention); !checked) {
    // Before the lock and before anything is stopped: a wrong key or bucket ends the run here.
    log.error("Fatal error running backup", {{"error", checked.error().message()}});
    report.exit_code = ExitCode::failed;
    report.error = checked.error();
    report.end = clock.now();
    return report;
  }
  // Exec labels run in every kind of run; without hooks from the caller (the daemon),
  // EXEC_FORWARD_OUTPUT goes to the log.
  std::unique_ptr<PhaseHooks> own_hooks;
  if (!hooks) {
    own_hooks = make_phase_hooks(settings, log, nullptr);
    hooks = own_hooks.get();
  }
  BackupJob job(std::move(*config), std::move(backends), BackupDeps{log, clock, cancel, quiescer, hooks});
  auto outcome = job.run();
  if (!outcome) {
    log.error("Fatal error running backup", {{"error", outcome.error().message()}});
    report.exit_code = ExitCode::failed;
    report.error = outcome.error();
    report.end = clock.now();
    return report;
  }
  log.info(fmt::format("Created backup of `{}` as `{}`.", source, outcome->archive_name),
           {{"entries", outcome->content.entries}, {"size", outcome->size}});
  log_stored(*outcome, log);
  if (outcome->exit_code == ExitCode::ok) {
    log.info("Backup completed successfully", {{"name", outcome->archive_name},
                                               {"size", outcome->size},
                                               {"duration", format_seconds(outcome->duration)}});
    log.info("Finished running backup tasks.");
  }
  report.exit_code = outcome->exit_code;
  report.start = outcome->started;
  report.end = outcome->finished;
  report.outcome = std::move(*outcome);
  return report;
}

}  // namespace volback::app
