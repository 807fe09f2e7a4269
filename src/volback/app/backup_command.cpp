#include <volback/app/backup_command.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include <volback/app/backup_config.hpp>
#include <volback/app/backup_job.hpp>
#include <volback/storage/local/local_backend.hpp>

namespace volback::app {

namespace {

std::vector<std::unique_ptr<storage::Backend>> make_backends(const BackupConfig& config, util::Logger& log) {
  std::vector<std::unique_ptr<storage::Backend>> backends;
  if (config.local) {
    backends.push_back(storage::local::make_local_backend(*config.local, log));
  }
  return backends;
}

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
                            const util::CancelToken& cancel, Quiescer& quiescer) {
  auto config = load_backup_config(settings);
  if (!config) {
    log.error(config.error().message());
    return ExitCode::usage;
  }
  const std::string source = config->archive.source;
  auto backends = make_backends(*config, log);
  BackupJob job(std::move(*config), std::move(backends), BackupDeps{log, clock, cancel, quiescer});
  auto outcome = job.run();
  if (!outcome) {
    log.error("Fatal error running backup", {{"error", outcome.error().message()}});
    return ExitCode::failed;
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
  return outcome->exit_code;
}

}  // namespace volback::app
