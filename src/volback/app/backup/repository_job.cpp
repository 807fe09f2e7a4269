#include <volback/app/backup/repository_job.hpp>

#include <optional>

#include <fmt/format.h>

#include <volback/app/backup/repository_prune.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/app/run/phase_hooks.hpp>
#include <volback/app/run/resume_guard.hpp>
#include <volback/archive/exclusion.hpp>
#include <volback/restic/go_json.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/repository_lock.hpp>

namespace volback::app {

RepositoryJob::RepositoryJob(const BackupConfig& config, std::unique_ptr<storage::Backend> backend, BackupDeps deps)
  : m_config(config), m_backend(std::move(backend)), m_deps(std::move(deps)) {}

util::Result<RepositoryOutcome> RepositoryJob::run(const RepositoryRequest& request) {
  auto& log = m_deps.log;
  const RepositorySettings& settings = *m_config.repository;
  RepositoryOutcome outcome{.location = settings.location.describe, .started = m_deps.clock.now()};
  VOLBACK_TRY_ASSIGN(auto repository, open_repository(*m_backend, settings));
  // Held until the snapshot is written: restic's prune and check wait for it.
  VOLBACK_TRY_ASSIGN(
    auto lock, restic::RepositoryLock::acquire(
                 repository, {.exclusive = false, .wait = settings.lock_wait, .clock = &m_deps.clock}, m_deps.cancel));
  VOLBACK_TRY_ASSIGN(auto index, restic::load_index(repository));
  std::optional<archive::Exclusion> exclusion;
  if (m_config.archive.exclude_pattern) {
    VOLBACK_TRY_ASSIGN(exclusion, archive::Exclusion::compile(*m_config.archive.exclude_pattern));
  }

  PhaseTracker phases(request.run_phases ? m_deps.hooks : nullptr, log);
  VOLBACK_TRY(phases.begin(Phase::archive));
  VOLBACK_TRY(phases.begin(Phase::process));
  VOLBACK_TRY(phases.begin(Phase::copy));
  const auto quiesce_started = m_deps.clock.now();
  VOLBACK_TRY_ASSIGN(outcome.stopped, m_deps.quiescer.quiesce());
  ResumeGuard resume(m_deps.quiescer, log, &m_deps.clock);
  restic::SnapshotRequest snapshot{
    .paths = {m_config.archive.source},
    .hostname = settings.hostname,
    .username = restic::this_process().username,
    .tags = request.tags,
    .time = restic::go_time_of(outcome.started),
    .excluded = exclusion ? restic::PathFilter([&](std::string_view path) { return exclusion->matches(path); })
                          : restic::PathFilter(),
    .files_read =
      [&] {
        if (outcome.stopped.any()) {
          log.info("Every file is read: restarting the stopped containers while the last packs upload");
        }
        (void)resume.resume();
      },
    .temp_dir = m_config.run.spool_dir,
  };
  log.info(
    fmt::format("Writing a snapshot of {} to the repository {}", m_config.archive.source, settings.location.describe));
  auto written = restic::write_snapshot(repository, index, snapshot, m_deps.cancel);
  const auto resumed = resume.resume();
  const auto posted = phases.finish();
  VOLBACK_TRY_ASSIGN(outcome.figures, std::move(written));
  if (outcome.stopped.any() && resume.resumed_at()) {
    outcome.downtime = *resume.resumed_at() - quiesce_started;
  }
  if (!resumed || !posted) {
    outcome.exit_code = ExitCode::failed;
  }
  const auto& figures = outcome.figures;
  log.info(fmt::format("Snapshot {} saved", figures.snapshot.short_hex()),
           {{"repository", settings.location.describe},
            {"files", figures.files},
            {"files_unchanged", figures.files_unchanged},
            {"bytes_read", figures.bytes_read},
            {"blobs_new", figures.blobs.blobs_new},
            {"bytes_new", figures.blobs.bytes_new},
            {"bytes_stored", figures.blobs.bytes_stored},
            {"packs_reused", figures.blobs.packs_reused}});
  if (auto released = lock.release(); !released) {
    log.warn("Could not remove the repository lock; restic removes it once it is stale",
             {{"error", released.error().message()}});
  }
  if (m_config.retention.enabled()) {
    // The snapshot is saved: a failure here fails the run but loses nothing.
    auto pruned =
      prune_repository_snapshots(repository, m_config, false, m_deps.clock.now(), m_deps.clock, log, m_deps.cancel);
    if (!pruned) {
      log.error("Pruning the repository failed", {{"error", pruned.error().message()}});
      outcome.exit_code = ExitCode::failed;
    } else {
      outcome.forgotten = pruned->forgotten.size();
      outcome.pruned = pruned->stats;
    }
  }
  outcome.finished = m_deps.clock.now();
  return outcome;
}

}  // namespace volback::app
