#pragma once
// Read-only checks that what a schedule needs can be reached: run by `volback
// check-config` and logged at daemon start (where a failure only marks health failing).
//
// Extension point: the Docker integration adds a function to the list in
// reachability.cpp (reachability_checks); every backend is checked through its own
// preflight (storage::Backend::preflight). A check must not write, stop or
// create anything, must stop at `cancel`, and must never put a secret in a result.

#include <functional>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct ReachabilityContext {
  const BackupConfig& config;      // validated
  const util::Settings& settings;  // the schedule's raw settings, for checks with their own
  util::Logger& log;
  const util::CancelToken& cancel;
};

// Returns one result per thing checked, or none when the check does not apply (e.g. the
// backend is not configured).
using ReachabilityCheck = std::function<std::vector<CheckResult>(const ReachabilityContext&)>;

// Every check, in order.
std::vector<ReachabilityCheck> reachability_checks();

// Runs every check for one schedule.
std::vector<CheckResult> run_reachability_checks(const ReachabilityContext& context);

// Every configured backend (backends.hpp): each one's preflight, read-only, named as its
// configuration describes it.
std::vector<CheckResult> check_backends(const ReachabilityContext& context);

}  // namespace volback::app
