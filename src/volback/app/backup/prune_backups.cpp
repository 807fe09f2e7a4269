#include <volback/app/backup/prune_backups.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <volback/retention/prune_guard.hpp>
#include <volback/retention/retention_plan.hpp>

namespace volback::app {

namespace {

util::Result<PruneStats> prune_one(storage::Backend& backend, const retention::RetentionRules& rules,
                                   util::TimePoint now, const util::TimeZone& zone, util::Logger& log, PruneMode mode,
                                   PruneListing& listing) {
  std::vector<retention::BackupRecord> records;
  VOLBACK_TRY(backend.list(rules.prefix, [&records](const storage::ObjectInfo& info) -> util::Result<void> {
    records.push_back({info.key, info.modified});
    return {};
  }));

  const auto plan = retention::plan_retention(records, rules, now, zone);
  const auto& decision = plan.decision;
  const PruneStats stats{std::string(backend.name()), decision.candidates, decision.remove.size(), decision.refused};
  for (const auto& name : decision.remove) {
    listing.pruned.push_back({std::string(backend.name()), name});
  }
  for (const auto& verdict : plan.verdicts) {
    if (!verdict.remove) {
      listing.kept.push_back({std::string(backend.name()), verdict.name, verdict.kept_by});
    }
  }
  if (mode == PruneMode::dry_run) {
    log.info(fmt::format("Would prune {} out of {} backups.", decision.remove.size(), decision.candidates),
             {{"backend", backend.name()},
              {"deadline", rules.days ? util::format_rfc3339(decision.deadline, zone) : std::string("none")},
              {"refused", decision.refused ? "true" : "false"}});
    return stats;
  }
  if (auto removed = backend.remove_many(decision.remove); !removed) {
    return util::fail(removed.error().with_context(fmt::format("pruning {}", backend.name())));
  }
  for (const auto& name : decision.remove) {
    log.debug("Pruned backup", {{"backend", backend.name()}, {"name", name}});
  }
  for (const auto& message : retention::describe_plan(plan, rules, zone)) {
    log.log(message.level, message.text, {{"backend", backend.name()}});
  }
  return stats;
}

// What both overloads return: what was (or would be) deleted and kept, and each backend's stats.
struct Pruning {
  PruneListing listing;
  std::vector<PruneStats> stats;
};

util::Result<Pruning> prune_all(std::span<storage::Backend* const> backends,
                                const retention::RetentionSettings& retention, util::TimePoint now,
                                const util::TimeZone& zone, util::Logger& log, PruneMode mode) {
  Pruning out;
  if (!retention.enabled()) {
    return out;
  }
  const retention::RetentionRules rules = retention.rules();
  for (storage::Backend* backend : backends) {
    if (retention.skips(backend->name())) {
      log.info(fmt::format("Skipping pruning for backend `{}`.", backend->name()));
      continue;
    }
    VOLBACK_TRY_ASSIGN(auto one, prune_one(*backend, rules, now, zone, log, mode, out.listing));
    out.stats.push_back(std::move(one));
  }
  return out;
}

}  // namespace

util::Result<std::optional<std::string>> check_before_prune(std::span<storage::Backend* const> backends,
                                                            const retention::RetentionSettings& retention,
                                                            const std::string& archive, std::uint64_t size) {
  retention::PruneGuardInput input{archive, size, {}, std::nullopt, retention.prune_min_ratio};
  for (storage::Backend* backend : backends) {
    VOLBACK_TRY_ASSIGN(const auto stored, backend->stat(archive));
    input.copies.push_back(
      {std::string(backend->name()), stored ? std::optional<std::uint64_t>(stored->size) : std::nullopt});
  }
  const auto pruned = std::find_if(backends.begin(), backends.end(),
                                   [&](const storage::Backend* b) { return !retention.skips(b->name()); });
  if (pruned != backends.end()) {
    std::optional<storage::ObjectInfo> previous;
    VOLBACK_TRY((*pruned)->list(retention.prefix, [&](const storage::ObjectInfo& info) -> util::Result<void> {
      if (info.key != archive && (!previous || info.modified > previous->modified)) {
        previous = info;
      }
      return {};
    }));
    if (previous) {
      input.previous_size = previous->size;
    }
  }
  return retention::refuse_prune(input);
}

util::Result<std::vector<PruneStats>> prune_backups(std::span<storage::Backend* const> backends,
                                                    const retention::RetentionSettings& retention, util::TimePoint now,
                                                    const util::TimeZone& zone, util::Logger& log) {
  VOLBACK_TRY_ASSIGN(auto pruning, prune_all(backends, retention, now, zone, log, PruneMode::remove));
  return std::move(pruning.stats);
}

util::Result<PruneListing> prune_backups(std::span<storage::Backend* const> backends,
                                         const retention::RetentionSettings& retention, util::TimePoint now,
                                         const util::TimeZone& zone, util::Logger& log, PruneMode mode) {
  VOLBACK_TRY_ASSIGN(auto pruning, prune_all(backends, retention, now, zone, log, mode));
  return std::move(pruning.listing);
}

}  // namespace volback::app
