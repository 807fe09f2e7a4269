#pragma once
// Which containers and Swarm services a run stops, and in which order. Pure functions
// over what the daemon listed, so every rule is unit-tested without a daemon.
//
// Rules (offen's, plus the ordering offen lacks):
//   - a running container is stopped when its label
//     docker-volume-backup.stop-during-backup equals the configured value (restarted
//     afterwards) or docker-volume-backup.stop-during-backup-no-restart equals its
//     configured value (never restarted); both matching is an error;
//   - on a Swarm manager, labelled services (deploy labels) are scaled to 0 and back;
//     only replicated services can be; a labelled container whose parent service also
//     carries the stop label (any value) is an error (the collision rule);
//   - order: dependents first. compose's com.docker.compose.depends_on label
//     ("db:service_started:false,cache:service_healthy:true") names the services of the
//     same compose project a container depends on; a container is stopped only after
//     every selected container depending on it, ties and cycles broken by name.
//     Restarts go in the reverse order.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/docker/api.hpp>
#include <volback/util/result.hpp>

namespace volback::docker {

inline constexpr std::string_view k_stop_label = "docker-volume-backup.stop-during-backup";
inline constexpr std::string_view k_no_restart_label = "docker-volume-backup.stop-during-backup-no-restart";
inline constexpr std::string_view k_service_id_label = "com.docker.swarm.service.id";
inline constexpr std::string_view k_compose_project_label = "com.docker.compose.project";
inline constexpr std::string_view k_compose_service_label = "com.docker.compose.service";
inline constexpr std::string_view k_compose_depends_on_label = "com.docker.compose.depends_on";

struct StopLabelValues {
  std::string stop = "true";        // BACKUP_STOP_DURING_BACKUP_LABEL
  std::string no_restart = "true";  // BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL
};

enum class Restart { yes, no };
enum class StopReason { label, uses_volume };

struct PlannedContainer {
  std::string id;
  std::string name;
  Restart restart = Restart::yes;
  std::optional<std::string> service_id;  // set on a Swarm manager for a service's task
  StopReason reason = StopReason::label;
};

struct PlannedService {
  std::string id;
  std::string name;
  std::uint64_t replicas = 0;  // to scale back to
  Restart restart = Restart::yes;
};

struct StopPlan {
  std::vector<PlannedContainer> containers;  // in stop order; restart in reverse
  std::vector<PlannedService> services;
  std::size_t running_containers = 0;  // how many were running in all
  std::size_t all_services = 0;

  bool empty() const { return containers.empty() && services.empty(); }
};

// `running` are the running containers; `services` the Swarm services (empty when not
// a manager). `also_stop` are the ids of running containers that are stopped and
// restarted even without a label (StopReason::uses_volume: they use a volume being
// restored in place); one labelled no-restart stays stopped, and a task of a service
// that is scaled down is left to the scaling. Errors: invalid_argument for both labels
// on one object, a labelled service that is not replicated, and the collision rule;
// nothing has been stopped then.
util::Result<StopPlan> plan_stop(const std::vector<ContainerSummary>& running,
                                 const std::vector<ServiceSummary>& services, const StopLabelValues& values,
                                 const std::vector<std::string>& also_stop = {});

// The compose service names in a depends_on label value.
std::vector<std::string> parse_depends_on(std::string_view value);

}  // namespace volback::docker
