#pragma once
// PhaseHooks over Docker exec: runs the commands of offen's exec labels inside the
// running containers that carry them.
//
//   docker-volume-backup.<phase>-pre / -post = <command>   (phase: archive, process, copy, prune)
//   docker-volume-backup.<phase>-pre.user / -post.user = <user>
//   docker-volume-backup.exec-label = <v>   only runs for EXEC_LABEL=<v> (when EXEC_LABEL is set)
//   docker-volume-backup.exec-pre / exec-post   deprecated aliases of archive-pre/-post,
//       matched without the EXEC_LABEL filter (as offen does); a container that has the new
//       label as well runs only the new one, never both.
//
// Commands are split into arguments without a shell (docker/command_line.hpp). All
// matching containers run at once; the phase waits for all of them, and the first
// failure (in container-name order) is its error: a non-zero exit code, an unparsable
// command, or EXEC_TIMEOUT passing.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/run/phase_hooks.hpp>
#include <volback/docker/api.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

struct ExecHookOptions {
  std::optional<std::string> exec_label;                        // EXEC_LABEL
  bool forward_output = false;                                  // EXEC_FORWARD_OUTPUT
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};  // EXEC_TIMEOUT; 0: none
};

class ExecPhaseHooks final : public PhaseHooks {
 public:
  // `log` must outlive the hooks. The daemon is contacted at the first phase.
  ExecPhaseHooks(DockerConnector connect, ExecHookOptions options, util::Logger& log, OutputForwarder forward);

  void set_archive_path(std::optional<std::string> path) override { m_archive_path = std::move(path); }
  util::Result<void> pre(Phase phase) override;
  util::Result<void> post(Phase phase) override;
  util::Result<bool> has_commands_after_seal() override;

 private:
  util::Result<void> connect();
  docker::ContainerFilter filter_for(std::string key) const;
  util::Result<void> run(Phase phase, std::string_view when);

  DockerConnector m_connect;
  ExecHookOptions m_options;
  util::Logger& m_log;
  OutputForwarder m_forward;
  util::CancelToken m_never;
  std::unique_ptr<docker::Api> m_api;
  std::optional<std::string> m_archive_path;
};

// The exec hooks of a run, from the validated Docker settings: ExecPhaseHooks when Docker
// is reachable (as in make_quiescer), otherwise NoPhaseHooks (make_quiescer already said
// so).
std::unique_ptr<PhaseHooks> make_phase_hooks(const docker::DockerSettings& settings, util::Logger& log,
                                             OutputForwarder forward,
                                             const std::string& default_socket = "/var/run/docker.sock");

}  // namespace volback::app
