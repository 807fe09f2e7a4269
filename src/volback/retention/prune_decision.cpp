#include <volback/retention/prune_decision.hpp>

#include <fmt/format.h>

namespace volback::retention {

PruneDecision decide_prune(std::span<const BackupRecord> records, const PrunePolicy& policy, util::TimePoint now,
                           const util::TimeZone& zone) {
  PruneDecision decision;
  // Calendar days in the configured zone, so a deadline across a DST change keeps the
  // wall-clock time of `now` instead of drifting by an hour.
  decision.deadline =
    zone.add_days(now, -policy.retention_days) + std::chrono::duration_cast<util::TimePoint::duration>(policy.leeway);

  for (const auto& record : records) {
    if (!record.name.starts_with(policy.prefix)) {
      continue;
    }
    ++decision.candidates;
    if (record.time < decision.deadline) {
      decision.remove.push_back(record.name);
    }
  }

  // The safety rule of offen's storage.DoPrune: a configuration that would delete every
  // backup is far more likely wrong (a clock jump, a wrong prefix) than intended.
  if (decision.candidates > 0 && decision.remove.size() == decision.candidates) {
    decision.remove.clear();
    decision.refused = true;
  }
  return decision;
}

std::vector<PruneMessage> describe_prune(const PruneDecision& decision, const util::TimeZone& zone) {
  // These texts are offen's, word for word; users' alert rules and tests match them.
  if (decision.refused) {
    return {
      {util::LogLevel::warn,
       fmt::format("The current configuration would delete all {} existing backups.", decision.candidates)},
      {util::LogLevel::warn, "Refusing to do so, please check your configuration."},
    };
  }
  if (decision.remove.empty()) {
    return {{util::LogLevel::info, fmt::format("None of {} existing backups were pruned.", decision.candidates)}};
  }
  return {
    {util::LogLevel::info, fmt::format("Pruned {} out of {} backups as they were older than the given deadline of {}.",
                                       decision.remove.size(), decision.candidates,
                                       util::format_rfc3339(decision.deadline, zone, util::Fraction::nanoseconds))}};
}

}  // namespace volback::retention
