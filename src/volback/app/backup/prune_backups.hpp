#pragma once
// The prune phase: applies the retention rules (offen's BACKUP_RETENTION_DAYS and the
// GFS rules, retention/retention_plan.hpp) to every backend that is not skipped, and
// deletes what they select.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/retention/retention_settings.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

// What pruning did on one backend (offen's Storages stats).
struct PruneStats {
  std::string backend;     // Backend::name()
  std::size_t listed = 0;  // backups under the prefix: the rule's candidates
  std::size_t pruned = 0;  // deleted
  bool refused = false;    // every candidate had expired: nothing deleted (retention::decide_prune)
};

// Does nothing when retention is disabled. For each backend: lists the backups under
// the pruning prefix, decides with retention::plan_retention at `now`, logs offen's
// messages and removes the expired ones. Stops at the first backend error and returns
// it (the run then fails); the backends already pruned stay pruned. Returns the stats
// of each backend that was not skipped.
util::Result<std::vector<PruneStats>> prune_backups(std::span<storage::Backend* const> backends,
                                                    const retention::RetentionSettings& retention, util::TimePoint now,
                                                    const util::TimeZone& zone, util::Logger& log);

// retention/prune_guard.hpp's check of the backup `archive` (`size` bytes) that the run
// just stored in `backends`: each is asked for it (stat), and the first backend that is
// not skipped from pruning lists the prefix for the newest older backup. nullopt: prune;
// otherwise the reason not to. Errors: a backend that could not be asked.
util::Result<std::optional<std::string>> check_before_prune(std::span<storage::Backend* const> backends,
                                                            const retention::RetentionSettings& retention,
                                                            const std::string& archive, std::uint64_t size);

enum class PruneMode { remove, dry_run };

struct PrunedBackup {
  std::string backend;  // Backend::name()
  std::string name;
};

struct KeptBackup {
  std::string backend;
  std::string name;
  std::vector<std::string> kept_by;  // retention::BackupVerdict::kept_by
};

struct PruneListing {
  std::vector<PrunedBackup> pruned;  // deleted (PruneMode::remove) or deletable (dry_run)
  std::vector<KeptBackup> kept;      // every other candidate, newest first per backend
};

// As above, and returns what was (PruneMode::remove) or would be (PruneMode::dry_run)
// deleted, and why each other candidate stays. A dry run deletes nothing and logs
// "Would prune ..." instead of offen's messages.
util::Result<PruneListing> prune_backups(std::span<storage::Backend* const> backends,
                                         const retention::RetentionSettings& retention, util::TimePoint now,
                                         const util::TimeZone& zone, util::Logger& log, PruneMode mode);

}  // namespace volback::app
