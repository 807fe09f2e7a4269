#include <volback/app/commands/backup_command.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include <volback/app/backup/backup_job.hpp>
#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/run/locked_run.hpp>
#include <volback/app/run/run_history.hpp>

namespace volback::app {

namespace {

std::string format_seconds(std::chrono::nanoseconds d) {
  return fmt::format("{:.3f}s", std::chrono::duration<double>(d).count());
}

void log_outcome(const BackupOutcome& outcome, const BackupConfig& config, util::Logger& log) {
  log.info(fmt::format("Created backup of `{}` as `{}`.", config.archive.source, outcome.archive_name),
           {{"entries", outcome.content.entries}, {"size", outcome.size}});
  if (config.encryption.method != crypto::EncryptionMethod::none) {
    // offen's line; the encryption happened in the stream, not in a second pass.
    log.info(fmt::format("Encrypted backup using \"{}\", saving as \"{}\".", config.encryption.extension(),
                         outcome.archive_name),
             {{"encryption", config.encryption.describe()}});
  }
  for (const auto& result : outcome.backends) {
    if (!result.error) {
      log.info(fmt::format("Stored backup `{}` in backend `{}`.", outcome.archive_name, result.backend));
    }
  }
  if (outcome.exit_code == ExitCode::ok) {
    log.info("Backup completed successfully",
             {{"name", outcome.archive_name}, {"size", outcome.size}, {"duration", format_seconds(outcome.duration)}});
    log.info("Finished running backup tasks.");
  }
}

void take_outcome(RunReport& report, const BackupOutcome& outcome) {
  report.exit_code = outcome.exit_code;
  report.start = outcome.started;
  report.end = outcome.finished;
  report.archive = outcome.archive_name;
  report.archive_bytes = outcome.size;
  report.entries = outcome.content.entries;
  for (const auto& backend : outcome.backends) {
    report.backends.push_back({backend.backend, backend.error});
  }
  report.stopped = outcome.stopped.containers;
  report.stopped.insert(report.stopped.end(), outcome.stopped.services.begin(), outcome.stopped.services.end());
}

// The outcome of the run up to the report.
util::Result<BackupOutcome> back_up(const BackupConfig& config, const CommandDeps& deps) {
  auto backends = create_backends(config, deps.log, deps.clock, deps.cancel);
  // Before the lock and before anything is stopped: a wrong key or bucket ends the run here.
  VOLBACK_TRY(preflight_backends(backends, config.retention));
  const auto quiescer = deps.host.make_quiescer(config, {});
  const auto hooks = deps.host.make_hooks(config);
  BackupJob job(config, std::move(backends), BackupDeps{deps.log, deps.clock, deps.cancel, *quiescer, hooks.get()});
  std::optional<util::Result<BackupOutcome>> outcome;
  VOLBACK_TRY(run_locked(config.run, *quiescer, deps.log, deps.cancel, [&]() -> util::Result<void> {
    outcome.emplace(job.run());
    return *outcome ? util::Result<void>() : util::fail(outcome->error());
  }));
  return std::move(*outcome);
}

}  // namespace

RunReport run_backup(const ScheduleConfig& schedule, const CommandDeps& deps, std::span<RunListener* const> listeners) {
  RunReport report{
    .command = "backup", .schedule = schedule.key(), .source = schedule.source(), .start = deps.clock.now()};
  auto config = load_backup_config(schedule.settings());
  std::string state_dir;
  if (!config) {
    deps.log.error(config.error().message());
    report.exit_code = ExitCode::usage;
    report.error = config.error();
    state_dir = schedule.settings().get_string(k_state_dir).value_or(std::string(k_state_dir.default_value));
  } else {
    state_dir = config->run.state_dir;
    auto outcome = back_up(*config, deps);
    if (!outcome) {
      deps.log.error("Fatal error running backup", {{"error", outcome.error().message()}});
      report.exit_code = ExitCode::failed;
      report.error = outcome.error();
    } else {
      log_outcome(*outcome, *config, deps.log);
      take_outcome(report, *outcome);
    }
  }
  if (report.end == util::TimePoint{}) {
    report.end = deps.clock.now();
  }
  report.cancelled = deps.cancel.requested() || (report.error && report.error->kind() == util::ErrorKind::cancelled);
  HistoryListener history(state_dir, deps.log);
  RunListener* const first[] = {&history};
  notify_run_finished(first, report);
  notify_run_finished(listeners, report);
  return report;
}

}  // namespace volback::app
