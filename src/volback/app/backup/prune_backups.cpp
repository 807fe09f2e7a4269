#include <volback/app/backup/prune_backups.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include <volback/retention/prune_decision.hpp>

namespace volback::app {

namespace {

util::Result<void> prune_one(storage::Backend& backend, const retention::PrunePolicy& policy, util::TimePoint now,
                             const util::TimeZone& zone, util::Logger& log, PruneMode mode,
                             std::vector<PrunedBackup>& pruned) {
  std::vector<retention::BackupRecord> records;
  VOLBACK_TRY(backend.list(policy.prefix, [&records](const storage::ObjectInfo& info) -> util::Result<void> {
    records.push_back({info.key, info.modified});
    return {};
  }));

  const auto decision = retention::decide_prune(records, policy, now, zone);
  for (const auto& name : decision.remove) {
    pruned.push_back({std::string(backend.name()), name});
  }
  if (mode == PruneMode::dry_run) {
    log.info(fmt::format("Would prune {} out of {} backups.", decision.remove.size(), decision.candidates),
             {{"backend", backend.name()},
              {"deadline", util::format_rfc3339(decision.deadline, zone)},
              {"refused", decision.refused ? "true" : "false"}});
    return {};
  }
  if (auto removed = backend.remove_many(decision.remove); !removed) {
    return util::fail(removed.error().with_context(fmt::format("pruning {}", backend.name())));
  }
  for (const auto& name : decision.remove) {
    log.debug("Pruned backup", {{"backend", backend.name()}, {"name", name}});
  }
  for (const auto& message : retention::describe_prune(decision, zone)) {
    log.log(message.level, message.text, {{"backend", backend.name()}});
  }
  return {};
}

}  // namespace

util::Result<void> prune_backups(std::span<storage::Backend* const> backends,
                                 const retention::RetentionSettings& retention, util::TimePoint now,
                                 const util::TimeZone& zone, util::Logger& log) {
  VOLBACK_TRY(prune_backups(backends, retention, now, zone, log, PruneMode::remove));
  return {};
}

util::Result<std::vector<PrunedBackup>> prune_backups(std::span<storage::Backend* const> backends,
                                                      const retention::RetentionSettings& retention,
                                                      util::TimePoint now, const util::TimeZone& zone,
                                                      util::Logger& log, PruneMode mode) {
  std::vector<PrunedBackup> pruned;
  if (!retention.enabled()) {
    return pruned;
  }
  const retention::PrunePolicy policy{retention.retention_days, retention.leeway, retention.prefix};
  for (storage::Backend* backend : backends) {
    if (retention.skips(backend->name())) {
      log.info(fmt::format("Skipping pruning for backend `{}`.", backend->name()));
      continue;
    }
    VOLBACK_TRY(prune_one(*backend, policy, now, zone, log, mode, pruned));
  }
  return pruned;
}

}  // namespace volback::app
