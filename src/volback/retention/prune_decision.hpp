#pragma once
// offen's pruning rule as a pure function, shared by every storage backend.
//
// A backend lists its backups (name and timestamp) and hands them to decide_prune();
// it then deletes exactly decision.remove and logs describe_prune(decision). The rule:
//
//   deadline   = now moved back retention_days calendar days in `zone` (same wall-clock
//                time, as Go's now.AddDate(0, 0, -days)), plus leeway
//   candidates = the backups whose name starts with prefix
//   remove     = the candidates whose time is strictly before the deadline
//
// unless that would remove every candidate (and there is at least one): then nothing is
// removed and the decision is "refused". So with retention_days 0 nothing is ever removed
// while the fresh backup is a candidate.

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::retention {

struct BackupRecord {
  std::string name;      // the backup's name as the backend lists it (file or object name)
  util::TimePoint time;  // the backend's timestamp (mtime, LastModified, ...)
};

struct PrunePolicy {
  int retention_days = 0;              // >= 0; callers skip pruning when it is negative
  std::chrono::nanoseconds leeway{0};  // BACKUP_PRUNING_LEEWAY
  std::string prefix;                  // BACKUP_PRUNING_PREFIX; empty matches every name
};

struct PruneDecision {
  util::TimePoint deadline;         // backups strictly before this are expired
  std::size_t candidates = 0;       // records whose name starts with the prefix
  std::vector<std::string> remove;  // names to delete, in input order
  bool refused = false;             // every candidate was expired: nothing removed
};

// Applies the rule above. Precondition: policy.retention_days >= 0. Pure and thread-safe;
// the result owns its strings.
PruneDecision decide_prune(std::span<const BackupRecord> records, const PrunePolicy& policy, util::TimePoint now,
                           const util::TimeZone& zone);

struct PruneMessage {
  util::LogLevel level;
  std::string text;
};

// offen's log messages for a decision, in order:
//   refused:        WARN "The current configuration would delete all N existing backups."
//                   WARN "Refusing to do so, please check your configuration."
//   nothing to do:  INFO "None of Y existing backups were pruned."   (also for Y = 0)
//   otherwise:      INFO "Pruned X out of Y backups as they were older than the given
//                         deadline of <deadline as RFC 3339 in zone>."
// Pure.
std::vector<PruneMessage> describe_prune(const PruneDecision& decision, const util::TimeZone& zone);

}  // namespace volback::retention
