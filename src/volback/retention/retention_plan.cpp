#include <volback/retention/retention_plan.hpp>

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace volback::retention {

RetentionPlan plan_retention(std::span<const BackupRecord> records, const RetentionRules& rules, util::TimePoint now,
                             const util::TimeZone& zone) {
  std::vector<BackupRecord> candidates;
  for (const auto& record : records) {
    if (record.name.starts_with(rules.prefix)) {
      candidates.push_back(record);
    }
  }
  // Each rule's verdict: whether it lets the backup go, and why it keeps it otherwise.
  std::map<std::string, std::vector<std::string>> kept_by;
  std::map<std::string, bool> expired;
  RetentionPlan plan;
  plan.decision.candidates = candidates.size();
  if (rules.days) {
    PrunePolicy policy = *rules.days;
    policy.prefix = rules.prefix;
    // Without the refusal: that is decided once, over every rule, below.
    plan.decision.deadline = decide_prune({}, policy, now, zone).deadline;
    for (const auto& c : candidates) {
      if (c.time < plan.decision.deadline) {
        expired[c.name] = true;
      } else {
        kept_by[c.name].push_back("younger than the deadline");
      }
    }
  }
  std::vector<GfsVerdict> gfs;
  if (!rules.gfs.empty()) {
    gfs = apply_gfs(candidates, rules.gfs, now, zone);
    for (const auto& verdict : gfs) {
      auto& reasons = kept_by[verdict.name];
      reasons.insert(reasons.end(), verdict.reasons.begin(), verdict.reasons.end());
    }
  }
  for (const auto& c : candidates) {
    const bool let_go_by_days = !rules.days || expired[c.name];
    if (let_go_by_days && kept_by[c.name].empty()) {
      plan.decision.remove.push_back(c.name);
    }
  }
  // offen's safety rule, over every rule: removing every backup is far more likely a
  // wrong configuration or clock than an intention.
  if (!candidates.empty() && plan.decision.remove.size() == candidates.size()) {
    plan.decision.remove.clear();
    plan.decision.refused = true;
  }
  // Newest first, as GFS orders them (ties by name, descending).
  std::sort(candidates.begin(), candidates.end(), [](const BackupRecord& a, const BackupRecord& b) {
    return a.time != b.time ? a.time > b.time : a.name > b.name;
  });
  for (const auto& c : candidates) {
    BackupVerdict verdict{c.name, c.time, false, kept_by[c.name]};
    verdict.remove =
      std::find(plan.decision.remove.begin(), plan.decision.remove.end(), c.name) != plan.decision.remove.end();
    if (!verdict.remove && verdict.kept_by.empty()) {
      verdict.kept_by.push_back("refused");
    }
    plan.verdicts.push_back(std::move(verdict));
  }
  return plan;
}

std::vector<PruneMessage> describe_plan(const RetentionPlan& plan, const RetentionRules& rules,
                                        const util::TimeZone& zone) {
  if (rules.days || plan.decision.refused || plan.decision.remove.empty()) {
    return describe_prune(plan.decision, zone);
  }
  return {{util::LogLevel::info, fmt::format("Pruned {} out of {} backups that no BACKUP_RETENTION_KEEP_* rule keeps.",
                                             plan.decision.remove.size(), plan.decision.candidates)}};
}

}  // namespace volback::retention
