#pragma once
// One snapshot of a run's sources into the restic-format repository (RESTIC_REPOSITORY):
//
//   open the repository, take a non-exclusive lock (waiting up to
//   VOLBACK_REPOSITORY_LOCK_WAIT for restic's exclusive ones) and load its index (a wrong
//   password, a missing repository or a lock that stays end the run here, before anything
//   is stopped) → the phases' pre commands → quiesce → read
//   every file (chunked, deduplicated against the index, packed) → resume as soon as the
//   last file is read → the last packs, the index file, the snapshot file → posts →
//   with retention rules, forget and prune (repository_prune.hpp)
//
// The snapshot is the last file written, so a run that fails or is killed leaves no
// snapshot and a repository that restic accepts. Its paths are the sources
// (BACKUP_SOURCES), BACKUP_EXCLUDE_REGEXP leaves paths out, its host is RESTIC_HOST or
// the machine's host name, and its tags name the schedule.
//
// REQUIRES: the caller holds the global run lock (run/locked_run.hpp).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <volback/app/backup/backup_job.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/restic/archiver.hpp>
#include <volback/restic/prune.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct RepositoryRequest {
  std::vector<std::string> tags;
  // Whether this job runs the exec-label commands of the phases; false when the run's
  // archive already ran them.
  bool run_phases = true;
};

struct RepositoryOutcome {
  std::string location;  // the repository, without credentials
  restic::ArchiveResult figures;
  util::TimePoint started{};
  util::TimePoint finished{};
  Quiesced stopped;
  std::chrono::nanoseconds downtime{};  // from stopping to the restart; 0 when nothing stopped
  ExitCode exit_code = ExitCode::ok;    // ok, or failed (the containers did not restart, pruning failed)
  std::size_t forgotten = 0;            // snapshots the retention rules removed
  restic::PruneStats pruned;            // what pruning removed then
};

class RepositoryJob {
 public:
  // REQUIRES: config.repository is set; `backend` is its storage.
  RepositoryJob(const BackupConfig& config, std::unique_ptr<storage::Backend> backend, BackupDeps deps);

  // Writes the snapshot. Errors: not_found when there is no repository (the message says
  // how to create one), auth for a wrong password, and the repository's, the backend's and
  // the file system's errors; on error no snapshot was written.
  util::Result<RepositoryOutcome> run(const RepositoryRequest& request);

 private:
  const BackupConfig& m_config;
  std::unique_ptr<storage::Backend> m_backend;
  BackupDeps m_deps;
};

}  // namespace volback::app
