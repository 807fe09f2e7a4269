#pragma once
// Retention on the repository, restic's way: the snapshots that the retention rules let go
// (repository_retention.hpp) are forgotten, then the repository is pruned
// (restic/prune.hpp: packs no snapshot uses deleted, partly used ones repacked, the new
// index written before anything is removed), under an exclusive lock that waits up to
// VOLBACK_REPOSITORY_LOCK_WAIT for backups and checks to finish. Nothing is pruned when no
// snapshot is forgotten. After a backup run, and by `volback prune`.

#include <string>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/restic/id.hpp>
#include <volback/restic/prune.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct RepositoryPruneOutcome {
  std::vector<restic::Id> forgotten;  // newest first
  restic::PruneStats stats;           // zero when nothing was forgotten
};

// Applies the retention of `config` (REQUIRES: retention enabled and a repository) at
// `now`. dry_run: the snapshots it would forget, nothing removed or pruned (stats zero). Errors: the lock's (a
// conflicting lock that stays), the repository's, corrupt from prune (nothing removed).
util::Result<RepositoryPruneOutcome> prune_repository_snapshots(restic::Repository& repository,
                                                                const BackupConfig& config, bool dry_run,
                                                                util::TimePoint now, const util::Clock& clock,
                                                                util::Logger& log, const util::CancelToken& cancel);

}  // namespace volback::app
