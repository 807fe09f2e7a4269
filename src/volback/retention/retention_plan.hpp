#pragma once
// The whole retention decision for one backend: offen's rule (BACKUP_RETENTION_DAYS,
// prune_decision.hpp) and the GFS rules (BACKUP_RETENTION_KEEP_*, gfs_policy.hpp), each
// when set. Pure.
//
// The candidates are the backups whose name starts with the prefix. A candidate is
// removed only when every rule that is set lets it go: offen's when it is older than the
// deadline, GFS when none of its rules keeps it. When that would remove every candidate,
// nothing is removed and the plan is refused, as offen's rule does on its own.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/retention/gfs_policy.hpp>
#include <volback/retention/prune_decision.hpp>

namespace volback::retention {

struct RetentionRules {
  std::optional<PrunePolicy> days;  // offen's rule; nullopt: BACKUP_RETENTION_DAYS unset or negative
  GfsPolicy gfs;                    // empty: no GFS rule
  std::string prefix;               // BACKUP_PRUNING_PREFIX

  bool any() const { return days.has_value() || !gfs.empty(); }
};

struct BackupVerdict {
  std::string name;
  util::TimePoint time;
  bool remove = false;
  // Why it stays: "younger than the deadline" (offen's rule), GFS's reasons ("last",
  // "daily", "oldest weekly", "within 72h0m0s"), or "refused" when the plan was refused.
  std::vector<std::string> kept_by;
};

struct RetentionPlan {
  PruneDecision decision;               // candidates, remove (input order), refused; deadline when days is set
  std::vector<BackupVerdict> verdicts;  // one per candidate, newest first
};

// Precondition: rules.any(). The candidates' verdicts and the decision.
RetentionPlan plan_retention(std::span<const BackupRecord> records, const RetentionRules& rules, util::TimePoint now,
                             const util::TimeZone& zone);

// The log messages for a plan: offen's (describe_prune) when BACKUP_RETENTION_DAYS is set;
// with GFS alone the same refusal and "None of" texts, and "Pruned X out of Y backups that
// no BACKUP_RETENTION_KEEP_* rule keeps." Pure.
std::vector<PruneMessage> describe_plan(const RetentionPlan& plan, const RetentionRules& rules,
                                        const util::TimeZone& zone);

}  // namespace volback::retention
