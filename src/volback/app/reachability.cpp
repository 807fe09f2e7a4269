#include <volback/app/reachability.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <volback/app/docker_reachability.hpp>
#include <volback/app/remote_backends.hpp>
#include <volback/util/clock.hpp>

namespace volback::app {

std::vector<ReachabilityCheck> reachability_checks() {
  return {
    check_local_directory,
    check_remote_backends,
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

std::vector<CheckResult> check_local_directory(const ReachabilityContext& context) {
  if (!context.config.local) {
    return {};
  }
  const std::string& dir = context.config.local->directory;
  CheckResult result{fmt::format("local directory {}", dir), false, {}};
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    result.detail = std::strerror(errno);
  } else if (!S_ISDIR(st.st_mode)) {
    result.detail = "not a directory";
  } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    result.detail = fmt::format("not writable: {}", std::strerror(errno));
  } else {
    result.ok = true;
    result.detail = "exists and is writable";
  }
  return {result};
}

std::vector<CheckResult> check_remote_backends(const ReachabilityContext& context) {
  // The run's own backends and their preflight (read-only: credentials, bucket), with a
  // clock of their own: a check has no business with the run's time.
  const util::SystemClock clock;
  std::vector<std::unique_ptr<storage::Backend>> backends;
  add_remote_backends(context.config, context.log, clock, context.cancel, backends);
  std::vector<CheckResult> results;
  for (const auto& backend : backends) {
    std::string name = fmt::format("backend {}", backend->name());
    if (context.config.s3 && backend->name() == "S3") {
      name = fmt::format("backend S3 bucket {} at {}://{}", context.config.s3->bucket, context.config.s3->scheme,
                         context.config.s3->host);
    }
    auto checked = backend->preflight(storage::ListAccess::optional);
    results.push_back({std::move(name), checked.has_value(),
                       checked ? std::string("reachable") : checked.error().message()});
  }
  return results;
}

}  // namespace volback::app
