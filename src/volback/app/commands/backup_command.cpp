#include <volback/app/commands/backup_command.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include <volback/app/backup/backup_job.hpp>
#include <volback/app/backup/repository_job.hpp>
#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/config/monitor_config.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/monitor/run_monitors.hpp>
#include <volback/app/restore/verify_backup.hpp>
#include <volback/app/run/locked_run.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/util/recording_logger.hpp>

namespace volback::app {

namespace {

std::string format_seconds(std::chrono::nanoseconds d) {
  return fmt::format("{:.3f}s", std::chrono::duration<double>(d).count());
}

// volback's summary of a run (offen's lines were logged by the jobs, step by step).
void log_outcome(const RunReport& report, util::Logger& log) {
  if (report.exit_code == ExitCode::ok) {
    log.info("Backup completed successfully", {{"name", report.archive},
                                               {"size", report.archive_bytes},
                                               {"duration", format_seconds(report.end - report.start)}});
    log.info("Finished running backup tasks.");
  }
}

// The log lines a failure ping carries.
constexpr std::size_t k_ping_log_lines = 20;

void take_outcome(RunReport& report, const BackupOutcome& outcome) {
  report.exit_code = outcome.exit_code;
  report.start = outcome.started;
  report.end = outcome.finished;
  report.archive = outcome.archive_name;
  report.archive_bytes = outcome.size;
  report.archive_path = outcome.archive_path;
  report.entries = outcome.content.entries;
  for (const auto& backend : outcome.backends) {
    BackendReport one{
      .backend = backend.backend, .error = backend.error, .bytes = backend.bytes, .duration = backend.duration};
    for (const auto& stats : outcome.pruning) {
      if (stats.backend == backend.backend) {
        one.listed = stats.listed;
        one.pruned = stats.pruned;
        one.prune_refused = stats.refused;
      }
    }
    if (backend.error) {
      report.warnings.push_back(
        fmt::format("storing the backup in backend {} failed: {}", backend.backend, backend.error->message()));
    }
    if (one.prune_refused) {
      report.warnings.push_back(
        fmt::format("pruning backend {} was refused: every backup in it had expired", backend.backend));
    }
    report.backends.push_back(std::move(one));
  }
  if (!outcome.prune_refusal.empty()) {
    report.warnings.push_back("pruning was skipped: " + outcome.prune_refusal);
  }
  if (!outcome.content.unreadable.empty()) {
    report.warnings.insert(
      report.warnings.begin(),
      fmt::format("{} file(s) could not be read; the backup is incomplete", outcome.content.unreadable.size()));
  }
  report.stopped = outcome.stopped.containers;
  report.stopped.insert(report.stopped.end(), outcome.stopped.services.begin(), outcome.stopped.services.end());
  report.containers = {outcome.stopped.running_containers, outcome.stopped.containers.size()};
  report.services = {outcome.stopped.all_services, outcome.stopped.services.size()};
  report.downtime = outcome.downtime;
}

// BACKUP_VERIFY_BEFORE_PRUNE's check, with the decryption keys of the run's settings;
// empty when the setting is off. Errors: keys that cannot be loaded.
util::Result<StoredBackupVerifier> stored_backup_verifier(const util::Settings& settings, const BackupConfig& config,
                                                          const util::CancelToken& cancel) {
  if (!config.retention.verify_before_prune) {
    return StoredBackupVerifier{};
  }
  VOLBACK_TRY_ASSIGN(auto loaded, crypto::DecryptionKeys::load(settings, std::nullopt));
  auto keys = std::make_shared<const crypto::DecryptionKeys>(std::move(loaded));
  return StoredBackupVerifier(
    [keys, spool = config.run.spool_dir, &cancel](storage::Backend& backend,
                                                  const std::string& name) -> util::Result<std::optional<std::string>> {
      VOLBACK_TRY_ASSIGN(auto source, backend.open(name));
      VOLBACK_TRY_ASSIGN(const auto report, verify_archive(*source, cancel, spool, *keys));
      if (report.verdict != Verdict::corrupt) {
        return std::nullopt;
      }
      const auto problems = report.problems.size() + report.more_problems;
      return std::optional<std::string>(report.problems.empty()
                                          ? std::string("corrupt")
                                          : fmt::format("{} ({} problems)", report.problems.front(), problems));
    });
}

// The repository's part of the report: one more backend, "Repository", and when the run
// made no archive, the run's own figures.
void take_repository_outcome(RunReport& report, const RepositoryOutcome& outcome, bool archive_made) {
  report.backends.push_back(BackendReport{.backend = "Repository",
                                          .error = std::nullopt,
                                          .bytes = outcome.figures.blobs.bytes_stored,
                                          .duration = outcome.finished - outcome.started});
  report.exit_code = worst(report.exit_code, outcome.exit_code);
  if (archive_made) {
    report.end = outcome.finished;
    return;
  }
  report.start = outcome.started;
  report.end = outcome.finished;
  report.archive = "snapshot " + outcome.figures.snapshot.hex();
  report.archive_bytes = outcome.figures.blobs.bytes_stored;
  report.entries = outcome.figures.files + outcome.figures.dirs;
  report.stopped = outcome.stopped.containers;
  report.stopped.insert(report.stopped.end(), outcome.stopped.services.begin(), outcome.stopped.services.end());
  report.containers = {outcome.stopped.running_containers, outcome.stopped.containers.size()};
  report.services = {outcome.stopped.all_services, outcome.stopped.services.size()};
  report.downtime = outcome.downtime;
}

// The tags of a schedule's snapshots: "volback" and the schedule's name.
std::vector<std::string> snapshot_tags(const ScheduleConfig& schedule) {
  return {"volback", schedule.key()};
}

struct RunOutcomes {
  std::optional<BackupOutcome> archive;         // when the run made a tar archive
  std::optional<RepositoryOutcome> repository;  // when it wrote a snapshot
};

// The outcome of the run up to the report: the tar archive (when tar backends are
// configured, or when nothing else is: offen's archive for the exec commands), then the
// repository's snapshot. `locked` gets the time spent waiting for the lock.
util::Result<RunOutcomes> back_up(const util::Settings& settings, const ScheduleConfig& schedule,
                                  const BackupConfig& config, const CommandDeps& deps,
                                  std::chrono::nanoseconds& locked) {
  VOLBACK_TRY_ASSIGN(auto verify, stored_backup_verifier(settings, config, deps.cancel));
  const bool archive_wanted = !config.backends.empty() || !config.repository;
  auto backends = create_backends(config, deps.log, deps.clock, deps.cancel);
  // Before the lock and before anything is stopped: a wrong key or bucket ends the run here.
  VOLBACK_TRY(preflight_backends(backends, config.retention));
  std::unique_ptr<storage::Backend> repository;
  if (config.repository) {
    repository = config.repository->storage->create(
      {deps.log, deps.clock, deps.cancel, config.run.state_dir, config.run.spool_dir});
  }
  const auto quiescer = deps.host.make_quiescer(config, {});
  const auto hooks = deps.host.make_hooks(config);
  const BackupDeps job_deps{deps.log, deps.clock, deps.cancel, *quiescer, hooks.get(), std::move(verify)};
  RunOutcomes outcomes;
  std::optional<util::Error> failure;
  const auto waiting = deps.clock.now();
  VOLBACK_TRY(run_locked(config.run, *quiescer, deps.log, deps.cancel, [&]() -> util::Result<void> {
    locked = deps.clock.now() - waiting;
    if (archive_wanted) {
      BackupJob job(config, std::move(backends), job_deps);
      VOLBACK_TRY_ASSIGN(outcomes.archive, job.run());
    }
    if (repository) {
      RepositoryJob job(config, std::move(repository), job_deps);
      VOLBACK_TRY_ASSIGN(outcomes.repository,
                         job.run({.tags = snapshot_tags(schedule), .run_phases = !archive_wanted}));
    }
    return {};
  }));
  return outcomes;
}

}  // namespace

RunReport run_backup(const ScheduleConfig& schedule, const CommandDeps& outer, std::span<RunListener* const> listeners,
                     MetricsStore* metrics) {
  const util::Settings& settings = schedule.settings();
  const util::TimeZone zone = zone_or_default(settings);
  // The run's log is kept (bounded) for the notifications' LogOutput and the ping's tail.
  util::RecordingLogger recorder(outer.log, outer.clock, zone);
  const CommandDeps deps{recorder, outer.clock, outer.cancel, outer.host};
  RunReport report{
    .command = "backup", .schedule = schedule.key(), .source = schedule.source(), .start = deps.clock.now()};
  auto config = load_backup_config(settings);
  // What watches the run: the valid configuration's, or when it is invalid, whatever of
  // the monitoring settings is valid on its own, so that the failure is still notified.
  std::optional<MonitorConfig> own_monitor;
  const MonitorConfig* monitor = nullptr;
  if (config) {
    monitor = &config->monitor;
  } else if (auto loaded = load_monitor_config(settings)) {
    own_monitor = std::move(*loaded);
    monitor = &*own_monitor;
  }
  std::optional<RunMonitors> monitors;
  if (monitor != nullptr) {
    for (const auto& warning : monitor->notify.warnings) {
      deps.log.warn(warning);
    }
    monitors.emplace(*monitor, settings, zone, MonitorDeps{outer.log, outer.clock, metrics});
  }
  const std::span<RunListener* const> watchers = monitors ? monitors->listeners() : std::span<RunListener* const>{};

  std::string state_dir;
  if (!config) {
    deps.log.error(config.error().message());
    report.exit_code = ExitCode::usage;
    report.error = config.error();
    state_dir = settings.get_string(k_state_dir).value_or(std::string(k_state_dir.default_value));
  } else {
    state_dir = config->run.state_dir;
    notify_run_started(watchers, RunStart{report.schedule, report.source, report.start});
    auto outcomes = back_up(settings, schedule, *config, deps, report.locked);
    if (!outcomes) {
      deps.log.error("Fatal error running backup", {{"error", outcomes.error().message()}});
      report.exit_code = ExitCode::failed;
      report.error = outcomes.error();
    } else {
      if (outcomes->archive) {
        take_outcome(report, *outcomes->archive);
      }
      if (outcomes->repository) {
        take_repository_outcome(report, *outcomes->repository, outcomes->archive.has_value());
      }
      log_outcome(report, deps.log);
    }
  }
  if (report.end == util::TimePoint{}) {
    report.end = deps.clock.now();
  }
  report.cancelled = deps.cancel.requested() || (report.error && report.error->kind() == util::ErrorKind::cancelled);
  report.log_output = recorder.text();
  report.log_tail = recorder.last_lines(k_ping_log_lines);
  HistoryListener history(state_dir, outer.log);
  RunListener* const first[] = {&history};
  notify_run_finished(first, report);
  // After the run: the stopped containers are back (the job restarted them).
  notify_run_finished(watchers, report);
  notify_run_finished(listeners, report);
  return report;
}

void report_overdue(const ScheduleConfig& schedule, const ScheduleOverdue& overdue, const CommandDeps& deps,
                    MetricsStore* metrics) {
  const util::Settings& settings = schedule.settings();
  auto monitor = load_monitor_config(settings);
  if (!monitor) {
    deps.log.error("Cannot report the overdue schedule", {{"error", monitor.error().message()}});
    return;
  }
  const RunMonitors monitors(*monitor, settings, zone_or_default(settings), MonitorDeps{deps.log, deps.clock, metrics});
  notify_schedule_overdue(monitors.listeners(), overdue);
}

}  // namespace volback::app
