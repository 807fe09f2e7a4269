#include <volback/app/commands/reachability.hpp>

#include <fmt/format.h>

#include <volback/app/config/backends.hpp>
#include <volback/app/containers/docker_reachability.hpp>
#include <volback/util/clock.hpp>

namespace volback::app {

std::vector<ReachabilityCheck> reachability_checks() {
  return {
    check_backends,
    check_docker,
  };
}

std::vector<CheckResult> run_reachability_checks(const ReachabilityContext& context) {
  std::vector<CheckResult> results;
  for (const auto& check : reachability_checks()) {
    if (context.cancel.requested()) {
      break;
    }
    auto found = check(context);
    results.insert(results.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return results;
}

std::vector<CheckResult> check_backends(const ReachabilityContext& context) {
  // The run's own backends and their preflight (read-only: a writable directory,
  // credentials, a bucket), with a clock of their own: a check has no business with the
  // run's time.
  const util::SystemClock clock;
  const auto backends = create_backends(context.config, context.log, clock, context.cancel);
  std::vector<CheckResult> results;
  for (std::size_t i = 0; i < backends.size(); ++i) {
    auto checked = backends[i]->preflight(storage::ListAccess::optional);
    results.push_back({context.config.backends[i]->describe(), checked.has_value(),
                       checked ? std::string("reachable") : checked.error().message()});
  }
  return results;
}

}  // namespace volback::app
