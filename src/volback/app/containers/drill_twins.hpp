#pragma once
// The Docker side of a restore drill's application checks (run/drill_checks.hpp).
//
// A container labelled docker-volume-backup.drill-check=<command> gets a throwaway twin:
// the same image (by id), entrypoint, command, environment, user and working directory,
// each of its mounts that the backup holds replaced by the restored copy (a bind mount of
// the drill's scratch directory), its read-only mounts (configuration, programs) kept
// read-only, its other writable mounts left out (the image's own volumes become
// anonymous volumes, removed with the twin), no network (NetworkMode none), no
// published ports, no restart policy, and the labels volback.drill-twin-of=<container>
// and volback.drill=<drill id> instead of the container's own, so that neither compose
// nor volback's stop label mistakes it for the live one. volback starts it, runs the
// check in it with `sh -c` every second until it exits 0 (and its output matches
// docker-volume-backup.drill-expect=<ECMAScript regexp>, when set, searched in its
// stdout without surrounding blanks) or the timeout passes,
// keeps the last lines of the output, and removes the twin with its anonymous volumes on
// every path. The live container is only inspected, never touched.
//
// Which restored volume replaces a mount: volume <name> of the backup was read from
// BACKUP_SOURCES/<name>; the mount of volback's own container there (a named volume or a
// bind mount, docker/volume_users.hpp) names the same volume or host path as the live
// container's mount. The scratch directory reaches the twin through its host path, so
// VOLBACK_DRILL_DIR must lie on a volume or bind mount when volback runs in a container.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/run/drill_checks.hpp>
#include <volback/docker/api.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

inline constexpr std::string_view k_twin_of_label = "volback.drill-twin-of";
inline constexpr std::string_view k_twin_drill_label = "volback.drill";

struct TwinPlan {
  docker::CreateContainerRequest request;
  std::vector<std::string> replaced;        // the destinations that get restored data
  std::vector<std::string> kept_read_only;  // read-only mounts the backup does not hold, kept as they are
  std::vector<std::string> left_out;        // writable mounts the backup does not hold
};

// The twin of `live` for drill `drill_id` (pure). `sources` is BACKUP_SOURCES,
// `own_mounts` the mounts of volback's container (nullopt on the host), `restored` maps
// each backup volume to where the drill restored it. Errors (invalid_argument): no mount
// of `live` is in the backup, or a restored directory has no host path.
util::Result<TwinPlan> plan_twin(const docker::ContainerDetails& live, const std::string& drill_id,
                                 const std::string& sources,
                                 const std::optional<std::vector<docker::Mount>>& own_mounts,
                                 const std::map<std::string, std::string>& restored);

struct DrillTwinSettings {
  std::string drill_id;
  std::string sources;  // BACKUP_SOURCES
  std::chrono::nanoseconds timeout{};
  std::chrono::milliseconds retry_interval{1000};
  std::string mountinfo_path = "/proc/self/mountinfo";
};

// The checks through `api` (owned). `log` and `cancel` must outlive them.
std::unique_ptr<DrillChecks> make_drill_twins(std::unique_ptr<docker::Api> api, DrillTwinSettings settings,
                                              util::Logger& log, const util::CancelToken& cancel);

// No Docker: no container has a check.
std::unique_ptr<DrillChecks> make_no_drill_checks();

// The checks through the Docker daemon of `docker` (DOCKER_HOST, or `default_socket` when
// it exists); without a daemon, no container has a check. Errors: the daemon's, when one
// is configured but does not answer.
util::Result<std::unique_ptr<DrillChecks>> make_docker_drill_checks(
  const docker::DockerSettings& docker, DrillTwinSettings settings, util::Logger& log, const util::CancelToken& cancel,
  const std::string& default_socket = "/var/run/docker.sock");

// The last `lines` lines of `text`, at most `max_bytes` of them (the end kept). Pure.
std::string last_lines(std::string_view text, std::size_t lines = 10, std::size_t max_bytes = 2048);

}  // namespace volback::app
