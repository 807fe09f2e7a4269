#pragma once
// `volback prune [--dry-run] [--at TIME]`: the prune phase of a backup run on its own,
// with the same configuration, policy and deletions as scheduled runs, under the same
// global lock.

#include <optional>
#include <string>

#include <volback/app/commands/host.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct PruneRequest {
  bool dry_run = false;
  std::optional<std::string> at;  // RFC 3339; nullopt: now
};

struct PruneCommandResult {
  ExitCode exit_code = ExitCode::ok;
  std::string text;  // for stdout: one "<backend>\t<name>" line per pruned (or, dry, prunable) backup
};

// Validates the configuration as `backup` does (exit 2 when invalid, or when
// BACKUP_RETENTION_DAYS disables pruning, or --at is not RFC 3339), checks the backends,
// and under run_locked (the lock, then the repairs of killed runs: a container that a
// killed backup left stopped is started again) prunes every backend not in
// BACKUP_SKIP_BACKENDS_FROM_PRUNE at `--at` (default: now). Exit 1 when a backend fails.
PruneCommandResult run_prune_command(const util::Settings& settings, const CommandDeps& deps,
                                     const PruneRequest& request);

}  // namespace volback::app
