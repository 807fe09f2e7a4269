#include <volback/app/commands/reachability.hpp>

#include <volback/app/config/backends.hpp>
#include <volback/util/clock.hpp>

namespace volback::app {

std::vector<CheckResult> check_reachability(const BackupConfig& config, const CommandDeps& deps) {
  // The run's own backends and their preflight (read-only: a writable directory,
  // credentials, a bucket), with a clock of their own: a check has no business with the
  // run's time.
  const util::SystemClock clock;
  const auto backends = create_backends(config, deps.log, clock, deps.cancel);
  std::vector<CheckResult> results;
  for (std::size_t i = 0; i < backends.size() && !deps.cancel.requested(); ++i) {
    auto checked = backends[i]->preflight(storage::ListAccess::optional);
    results.push_back({config.backends[i]->describe(), checked.has_value(),
                       checked ? std::string("reachable") : checked.error().message()});
  }
  if (!deps.cancel.requested()) {
    auto containers = deps.host.check_containers(config);
    results.insert(results.end(), std::make_move_iterator(containers.begin()),
                   std::make_move_iterator(containers.end()));
  }
  return results;
}

}  // namespace volback::app
