#pragma once
// The Docker-backed Quiescer: stops the labelled containers and scales down the
// labelled Swarm services before the archive, brings them back at the seal, and keeps
// the crash journal (crash_journal.hpp) so that a run that dies in between is repaired
// by the next one.
//
// Docker calls made to bring things back never use the run's CancelToken: a SIGTERM
// stops the archive, never the restart that follows it.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/containers/own_container.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/docker/api.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/docker/http_api.hpp>
#include <volback/docker/stop_plan.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Connects to the daemon; the Api's requests are cancelled only by `cancel`.
using DockerConnector = std::function<util::Result<std::unique_ptr<docker::Api>>(const util::CancelToken& cancel)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct DockerQuiescerOptions {
  docker::StopLabelValues labels;
  std::chrono::nanoseconds service_timeout{std::chrono::minutes(5)};
  std::string journal_path;
  std::chrono::milliseconds poll_interval{1000};  // while waiting for services to scale down
  // Restoring in place: also stop (and restart) every running container that uses one
  // of these directories, labelled or not (docker/volume_users.hpp), except volback's
  // own container.
  std::vector<std::string> volume_dirs;
  // Where volback learns which container it runs in, if any.
  std::string mountinfo_path = std::string(k_mountinfo_path);
};

class DockerQuiescer final : public Quiescer {
 public:
  // `log` and `cancel` (the run's token, checked while waiting for services) must
  // outlive the quiescer. The daemon is first contacted by recover() or quiesce().
  DockerQuiescer(DockerConnector connect, DockerQuiescerOptions options, util::Logger& log,
                 const util::CancelToken& cancel, Sleeper sleep);

  // Restarts what an interrupted run left stopped, as recorded in the journal: only
  // containers still stopped since that run stopped them (same State.StartedAt), each
  // with a warning; services still at 0 replicas are scaled back. Without a journal it
  // does nothing (and does not contact Docker). Errors: the daemon is unreachable or the
  // journal unreadable (it is then kept for the next run).
  util::Result<void> recover() override;

  // See Quiescer. Errors: invalid_argument for label conflicts (nothing stopped), the
  // journal cannot be written (nothing stopped), a stop or scale-down failed (what was
  // stopped has been restarted).
  util::Result<Quiesced> quiesce() override;
  util::Result<Quiesced> plan() override;
  util::Result<void> resume() override;

 private:
  util::Result<docker::Api*> api();
  util::Result<docker::StopPlan> make_plan();
  // The ids of the running containers using options.volume_dirs.
  util::Result<std::vector<std::string>> volume_users(docker::Api& api,
                                                      const std::vector<docker::ContainerSummary>& running);
  util::Result<void> wait_for_services(const std::vector<docker::PlannedService>& services);

  DockerConnector m_connect;
  DockerQuiescerOptions m_options;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  Sleeper m_sleep;
  util::CancelToken m_never;  // for the Api: Docker requests are not cut by signals
  std::unique_ptr<docker::Api> m_api;
  std::vector<docker::PlannedContainer> m_stopped;  // in stop order
  std::vector<docker::PlannedService> m_scaled;
};

// Where the daemon is: DOCKER_HOST when set (a tcp:// one with the settings' TLS, if any),
// else `default_socket` when it exists; nullopt when Docker is not reachable (the Docker
// features are then skipped).
std::optional<docker::Endpoint> resolve_docker_endpoint(const docker::DockerSettings& settings,
                                                        const std::string& default_socket);

// What a run uses, built from the validated configuration: a DockerQuiescer when
// DOCKER_HOST is set or `default_socket` exists, otherwise (with one info line, as
// offen) a NoQuiescer. Its crash journal lives in `state_dir`; `volume_dirs` (an
// in-place restore's targets) adds every container using them to what is stopped.
std::unique_ptr<Quiescer> make_quiescer(const docker::DockerSettings& settings, const std::string& state_dir,
                                        util::Logger& log, const util::CancelToken& cancel,
                                        std::vector<std::string> volume_dirs = {},
                                        const std::string& default_socket = "/var/run/docker.sock");

}  // namespace volback::app
