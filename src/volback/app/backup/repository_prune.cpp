#include <volback/app/backup/repository_prune.hpp>

#include <fmt/format.h>

#include <volback/app/backup/repository_retention.hpp>
#include <volback/restic/repository_lock.hpp>
#include <volback/restic/snapshot_lookup.hpp>

namespace volback::app {

util::Result<RepositoryPruneOutcome> prune_repository_snapshots(restic::Repository& repository,
                                                                const BackupConfig& config, bool dry_run,
                                                                util::TimePoint now, const util::Clock& clock,
                                                                util::Logger& log, const util::CancelToken& cancel) {
  const auto& settings = *config.repository;
  VOLBACK_TRY_ASSIGN(auto lock,
                     restic::RepositoryLock::acquire(
                       repository, {.exclusive = true, .wait = settings.lock_wait, .clock = &clock}, cancel));
  VOLBACK_TRY_ASSIGN(const auto snapshots, restic::load_snapshots(repository));
  RepositoryPruneOutcome outcome;
  outcome.forgotten = snapshots_to_forget(snapshots, {settings.hostname, {config.archive.source}}, config.retention,
                                          now, config.run.zone);
  if (outcome.forgotten.empty()) {
    log.info("No snapshot of the repository is due for removal", {{"repository", settings.location.describe}});
    (void)lock.release();
    return outcome;
  }
  if (!dry_run) {
    VOLBACK_TRY(restic::forget_snapshots(repository, outcome.forgotten));
  }
  for (const auto& id : outcome.forgotten) {
    log.info(fmt::format("{} snapshot {}", dry_run ? "Would forget" : "Forgot", id.short_hex()),
             {{"repository", settings.location.describe}});
  }
  if (dry_run) {
    // The forgotten snapshots are still there, so a pruning dry run would keep their data.
    (void)lock.release();
    return outcome;
  }
  VOLBACK_TRY_ASSIGN(outcome.stats, restic::prune_repository(repository, {.temp_dir = config.run.spool_dir}, cancel));
  const auto& stats = outcome.stats;
  log.info(fmt::format("Pruned the repository: {} packs deleted, {} repacked, {} bytes before, {} after",
                       stats.packs_deleted, stats.packs_repacked, stats.bytes_before, stats.bytes_after),
           {{"repository", settings.location.describe}});
  if (auto released = lock.release(); !released) {
    log.warn("Could not remove the repository lock; restic removes it once it is stale",
             {{"error", released.error().message()}});
  }
  return outcome;
}

}  // namespace volback::app
