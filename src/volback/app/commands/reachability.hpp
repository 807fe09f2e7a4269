#pragma once
// Read-only checks that what a schedule needs can be reached: run by `volback
// check-config` and logged at daemon start (where a failure only marks health failing).
// Every configured backend is checked through its own preflight
// (storage::Backend::preflight), the containers through the Host. A check never writes,
// stops or creates anything, stops at cancellation and never puts a secret in a result.

#include <vector>

#include <volback/app/commands/host.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/run_history.hpp>

namespace volback::app {

// One result per configured backend (named as its configuration describes it), then the
// container checks.
std::vector<CheckResult> check_reachability(const BackupConfig& config, const CommandDeps& deps);

}  // namespace volback::app
