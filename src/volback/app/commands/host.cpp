#include <volback/app/commands/host.hpp>

#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/containers/docker_reachability.hpp>
#include <volback/app/containers/drill_twins.hpp>
#include <volback/app/containers/exec_phase_hooks.hpp>
#include <volback/app/containers/own_container.hpp>

namespace volback::app {

Host docker_host(util::Logger& log, const util::CancelToken& cancel, OutputForwarder forward) {
  return Host{
    .make_quiescer =
      [&log, &cancel](const BackupConfig& config, std::vector<std::string> volume_dirs) {
        return make_quiescer(config.docker, config.run.state_dir, log, cancel, std::move(volume_dirs));
      },
    .make_hooks = [&log, forward](const BackupConfig& config) { return make_phase_hooks(config.docker, log, forward); },
    .mount_source_of = [](const BackupConfig& config,
                          const std::string& dir) { return docker_mount_source_of(config.docker, dir); },
    .check_containers = [&cancel](const BackupConfig& config) { return check_docker(config.docker, cancel); },
    .make_drill_checks =
      [&log, &cancel](const BackupConfig& config, const std::string& drill_id) {
        return make_docker_drill_checks(
          config.docker, {.drill_id = drill_id, .sources = config.archive.source, .timeout = config.drill.timeout}, log,
          cancel);
      },
  };
}

Host no_containers_host() {
  return Host{
    .make_quiescer = [](const BackupConfig&, std::vector<std::string>) { return std::make_unique<NoQuiescer>(); },
    .make_hooks = [](const BackupConfig&) -> std::unique_ptr<PhaseHooks> { return std::make_unique<NoPhaseHooks>(); },
    .mount_source_of = [](const BackupConfig&, const std::string&) { return std::optional<std::string>(); },
    .check_containers = [](const BackupConfig&) { return std::vector<CheckResult>{}; },
    .make_drill_checks = [](const BackupConfig&, const std::string&) -> util::Result<std::unique_ptr<DrillChecks>> {
      return make_no_drill_checks();
    },
  };
}

}  // namespace volback::app
