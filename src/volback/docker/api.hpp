#pragma once
// A narrow client of the Docker Engine API: only what volback needs to quiesce a stack
// and run exec-label commands.
//
// Api is an interface so that the orchestration (stop plans, the crash journal, exec
// phases) is tested with a fake; make_http_api (http_api.hpp) is the one real
// implementation, speaking the Engine API over a unix socket or TCP.
//
// Errors: transient (the daemon is unreachable, a timeout, a 5xx), not_found (no such
// container, service or exec: HTTP 404), invalid_argument (HTTP 400, e.g. an unknown
// user for an exec), permanent (anything else the daemon refused, an unparsable
// answer), cancelled (the run's CancelToken fired).
//
// Thread-safety: one Api is used by one thread at a time; make one per worker thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::docker {

using Labels = std::map<std::string, std::string, std::less<>>;

// GET /info, the fields volback reads.
struct Info {
  std::string server_version;            // "20.10.24+dfsg1"
  std::string swarm_node_state;          // Swarm.LocalNodeState: "", "inactive", "active", ...
  bool swarm_control_available = false;  // Swarm.ControlAvailable: this node is a manager

  // offen's rule: a Swarm manager is in Swarm mode; a worker behaves as plain Docker.
  bool is_swarm_manager() const {
    return !swarm_node_state.empty() && swarm_node_state != "inactive" && swarm_control_available;
  }
};

// One of a container's mounts (Mounts in GET /containers/json and /containers/{id}/json).
struct Mount {
  std::string type;         // "volume", "bind", "tmpfs", ...
  std::string name;         // the volume's name (type volume); else empty
  std::string source;       // the path on the Docker host ("" for tmpfs)
  std::string destination;  // the path inside the container
  bool read_write = true;   // RW
};

// One entry of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::string name;   // the first of Names, without its leading '/'
  std::string state;  // "running", "exited", ...
  Labels labels;
  std::vector<Mount> mounts;
};

// What a container runs (Config of GET /containers/{id}/json, and its image), as a
// throwaway twin copies it.
struct ContainerConfig {
  std::string image;  // the image's id (the top-level Image), so a retagged image does not change it
  std::optional<std::vector<std::string>> entrypoint;  // nullopt: null in the answer
  std::optional<std::vector<std::string>> cmd;
  std::vector<std::string> env;  // "NAME=value"
  std::string user;
  std::string working_dir;
  std::string stop_signal;
};

// GET /containers/{id}/json, the fields volback reads.
struct ContainerDetails {
  std::string id;
  std::string name;  // without the leading '/'
  bool running = false;
  std::string started_at;  // State.StartedAt, verbatim (RFC 3339 with nanoseconds)
  Labels labels;
  std::vector<Mount> mounts;
  ContainerConfig config;
};

// POST /containers/create: a container without a network (NetworkMode none), published
// ports or restart policy.
struct CreateContainerRequest {
  std::string name;  // empty: the daemon picks one
  ContainerConfig config;
  Labels labels;
  std::vector<std::string> binds;  // "host-path:destination" (HostConfig.Binds)
};

struct ContainerFilter {
  bool all = false;                 // also containers that are not running
  std::vector<std::string> labels;  // "key" or "key=value", all must match
};

// One entry of GET /services, the fields volback reads.
struct ServiceSummary {
  std::string id;
  std::string name;
  Labels labels;                          // Spec.Labels (compose's deploy.labels)
  std::optional<std::uint64_t> replicas;  // nullopt: not a replicated service
  std::uint64_t version = 0;              // Version.Index, needed to update the spec
};

struct ExecRequest {
  std::vector<std::string> argv;
  std::optional<std::string> user;
  std::vector<std::string> env;  // "NAME=value"
};

struct ExecOutput {
  std::string out;  // the command's stdout
  std::string err;  // the command's stderr
  int exit_code = -1;
};

class Api {
 public:
  virtual ~Api() = default;

  // The API version in use ("1.41"), after negotiation.
  virtual const std::string& api_version() const = 0;

  virtual util::Result<Info> info() = 0;
  virtual util::Result<std::vector<ContainerSummary>> list_containers(const ContainerFilter& filter) = 0;
  virtual util::Result<ContainerDetails> inspect_container(const std::string& id) = 0;
  // Stops with the container's own stop signal and timeout; a container that is
  // already stopped is not an error (HTTP 304).
  virtual util::Result<void> stop_container(const std::string& id) = 0;
  // Starts a container; one that is already running is not an error (HTTP 304).
  virtual util::Result<void> start_container(const std::string& id) = 0;
  // Creates a container (not started); returns its id.
  virtual util::Result<std::string> create_container(const CreateContainerRequest& request) = 0;
  // Removes a container, running or not, with its anonymous volumes (named volumes and
  // bind mounts stay). One that does not exist is not_found.
  virtual util::Result<void> remove_container(const std::string& id) = 0;

  // Swarm: the services, and changing one. Each update sends the service's current
  // spec with one change, using its version index (a concurrent change fails with
  // permanent, as the daemon refuses an outdated version).
  virtual util::Result<std::vector<ServiceSummary>> list_services() = 0;
  virtual util::Result<void> scale_service(const std::string& id, std::uint64_t replicas) = 0;
  virtual util::Result<void> force_update_service(const std::string& id) = 0;
  // The number of this service's tasks whose desired or current state is running.
  virtual util::Result<std::size_t> count_running_tasks(const std::string& service_id) = 0;

  // Runs a command in a running container and waits for it to finish, collecting its
  // output (the multiplexed stream decoded). `timeout` 0 means no limit; past it the
  // call fails with transient (the command may still be running in the container).
  virtual util::Result<ExecOutput> exec(const std::string& container_id, const ExecRequest& request,
                                        std::chrono::milliseconds timeout) = 0;
};

}  // namespace volback::docker
