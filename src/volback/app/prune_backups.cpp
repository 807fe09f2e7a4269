#include <volback/app/prune_backups.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include <volback/retention/prune_decision.hpp>

namespace volback::app {

namespace {

util::Result<void> prune_one(storage::Backend& backend, const retention::PrunePolicy& policy,
                             util::TimePoint now, const util::TimeZone& zone, util::Logger& log) {
  std::vector<retention::BackupRecord> records;
  VOLBACK_TRY(backend.list(policy.prefix, [&records](const storage::ObjectInfo& info) -> util::Result<void> {
    records.push_back({info.key, info.modified});
    return {};
  }));

  const auto decision = retention::decide_prune(records, policy, now, zone);
  for (const auto& name : decision.remove) {
    if (auto removed = backend.remove(name); !removed) {
      return util::fail(removed.error().with_context(fmt::format("pruning {} from {}", name, backend.name())));
    }
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
  if (!retention.enabled()) {
    return {};
  }
  const retention::PrunePolicy policy{retention.retention_days, retention.leeway, retention.prefix};
  for (storage::Backend* backend : backends) {
    if (retention.skips(backend->name())) {
      log.info(fmt::format("Skipping pruning for backend `{}`.", backend->name()));
      continue;
    }
    VOLBACK_TRY(prune_one(*backend, policy, now, zone, log));
  }
  return {};
}

}  // namespace volback::app
