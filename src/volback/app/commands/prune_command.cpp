#include <volback/app/commands/prune_command.hpp>

#include <memory>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <volback/app/backup/prune_backups.hpp>
#include <volback/app/backup/repository_prune.hpp>
#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/locked_run.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

PruneCommandResult run_prune_command(const util::Settings& settings, const CommandDeps& deps,
                                     const PruneRequest& request) {
  auto& log = deps.log;
  const auto& clock = deps.clock;
  const auto& cancel = deps.cancel;
  PruneCommandResult result;
  auto config = load_storage_config(settings);
  if (!config) {
    log.error(config.error().message());
    result.exit_code = ExitCode::usage;
    return result;
  }
  if (!config->retention.enabled()) {
    log.error(
      "Neither BACKUP_RETENTION_DAYS (0 or more) nor a BACKUP_RETENTION_KEEP_* rule is set: there is no retention "
      "policy to apply");
    result.exit_code = ExitCode::usage;
    return result;
  }
  util::TimePoint at = clock.now();
  if (request.at) {
    auto parsed = util::parse_rfc3339(*request.at);
    if (!parsed) {
      log.error(fmt::format("--at {:?} is not an RFC 3339 time such as 2026-12-10T03:00:00Z", *request.at));
      result.exit_code = ExitCode::usage;
      return result;
    }
    at = *parsed;
  }

  const auto backends = create_backends(*config, log, clock, cancel);
  if (auto checked = preflight_backends(backends, config->retention); !checked) {
    log.error("Pruning failed", {{"error", checked.error().message()}});
    result.exit_code = ExitCode::failed;
    return result;
  }
  std::vector<storage::Backend*> raw;
  for (const auto& backend : backends) {
    raw.push_back(backend.get());
  }
  const auto quiescer = deps.host.make_quiescer(*config, {});
  auto done = run_locked(config->run, *quiescer, log, cancel, [&]() -> util::Result<void> {
    log.info(request.dry_run ? "Dry run: listing what pruning would delete" : "Pruning old backups",
             {{"at", util::format_rfc3339(at, config->run.zone)}});
    VOLBACK_TRY_ASSIGN(const auto pruned, prune_backups(raw, config->retention, at, config->run.zone, log,
                                                        request.dry_run ? PruneMode::dry_run : PruneMode::remove));
    for (const auto& backup : pruned.pruned) {
      result.text += fmt::format("{}\t{}\n", backup.backend, backup.name);
    }
    if (config->repository) {
      VOLBACK_TRY_ASSIGN(
        auto opened, open_configured_repository(*config->repository,
                                                {log, clock, cancel, config->run.state_dir, config->run.spool_dir}));
      VOLBACK_TRY_ASSIGN(const auto forgotten, prune_repository_snapshots(opened.repository, *config, request.dry_run,
                                                                          at, clock, log, cancel));
      for (const auto& id : forgotten.forgotten) {
        result.text += fmt::format("{}\tsnapshot {}\n", k_repository_backend, id.hex());
      }
    }
    if (request.dry_run) {
      for (const auto& backup : pruned.kept) {
        result.text +=
          fmt::format("{}\t{}\tkept by {}\n", backup.backend, backup.name, fmt::join(backup.kept_by, ", "));
      }
    }
    return {};
  });
  if (!done) {
    log.error("Pruning old backups failed", {{"error", done.error().message()}});
    result.exit_code = ExitCode::failed;
  }
  return result;
}

}  // namespace volback::app
