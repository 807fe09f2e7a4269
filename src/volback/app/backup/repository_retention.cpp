#include <volback/app/backup/repository_retention.hpp>

#include <algorithm>
#include <map>

#include <volback/restic/go_json.hpp>
#include <volback/retention/retention_plan.hpp>

namespace volback::app {

namespace {

bool same_paths(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// The settings' rules for snapshots: GFS, with BACKUP_RETENTION_DAYS as keep-within.
retention::RetentionRules snapshot_rules(const retention::RetentionSettings& settings) {
  retention::RetentionRules rules;
  rules.gfs = settings.gfs;
  if (settings.retention_days > 0 && rules.gfs.within.count() == 0) {
    rules.gfs.within = std::chrono::hours(24) * settings.retention_days;
  }
  return rules;
}

}  // namespace

std::vector<restic::Id> snapshots_to_forget(const std::vector<restic::StoredSnapshot>& snapshots,
                                            const SnapshotGroup& group, const retention::RetentionSettings& settings,
                                            util::TimePoint now, const util::TimeZone& zone) {
  const auto rules = snapshot_rules(settings);
  if (!rules.any()) {
    return {};
  }
  std::vector<retention::BackupRecord> records;
  std::map<std::string, restic::Id> by_name;
  for (const auto& [id, snapshot] : snapshots) {
    if (snapshot.hostname == group.hostname && same_paths(snapshot.paths, group.paths)) {
      records.push_back({id.hex(), restic::time_point_of(snapshot.time)});
      by_name.emplace(id.hex(), id);
    }
  }
  const auto plan = retention::plan_retention(records, rules, now, zone);
  std::vector<restic::Id> forget;
  if (plan.decision.refused) {
    return forget;
  }
  for (const auto& name : plan.decision.remove) {
    forget.push_back(by_name.at(name));
  }
  return forget;
}

}  // namespace volback::app
