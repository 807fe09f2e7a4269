#pragma once
// What the commands need from the machine they run on, and from the process: the
// containers (Docker, through app/containers) and the clock, logger and cancellation.
// Every component is made from the validated configuration, never from raw settings.
// docker_host() is the real one; tests pass fakes.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/drill_checks.hpp>
#include <volback/app/run/phase_hooks.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

struct Host {
  // The Quiescer of one run: the labelled containers, plus, for an in-place restore,
  // every container using one of `volume_dirs`.
  std::function<std::unique_ptr<Quiescer>(const BackupConfig& config, std::vector<std::string> volume_dirs)>
    make_quiescer;
  // The exec-label commands around a run's phases.
  std::function<std::unique_ptr<PhaseHooks>(const BackupConfig& config)> make_hooks;
  // What mounts `dir` into a one-off container (own_container.hpp); nullopt when unknown.
  std::function<std::optional<std::string>(const BackupConfig& config, const std::string& dir)> mount_source_of;
  // The read-only checks of the container side for check-config (none when there is no
  // Docker).
  std::function<std::vector<CheckResult>(const BackupConfig& config)> check_containers;
  // The application checks of restore drill `drill_id` (run/drill_checks.hpp). Errors:
  // the container side's, when it is configured but does not answer.
  std::function<util::Result<std::unique_ptr<DrillChecks>>(const BackupConfig& config, const std::string& drill_id)>
    make_drill_checks;
};

// Docker at DOCKER_HOST or /var/run/docker.sock, when there is one; exec-label output
// goes to `forward` when EXEC_FORWARD_OUTPUT is on (null: to the log). `log` and
// `cancel` must outlive the host.
Host docker_host(util::Logger& log, const util::CancelToken& cancel, OutputForwarder forward = nullptr);

// No containers: nothing is stopped, no hooks, no checks.
Host no_containers_host();

// What every command gets.
struct CommandDeps {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  const Host& host;
};

}  // namespace volback::app
