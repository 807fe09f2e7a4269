#pragma once
// The container volback itself runs in, if any, as Docker reports it: its id and its
// mounts. Restoring in place needs them to tell which Docker volume a directory under
// /backup is, so that the volume's other users can be stopped and a refused read-only
// target can be named exactly in the one-off command volback suggests.

#include <optional>
#include <string>

#include <volback/docker/api.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

inline constexpr std::string_view k_mountinfo_path = "/proc/self/mountinfo";

// The details of the container this process runs in, found through the container id in
// `mountinfo_path` (docker/volume_users.hpp); nullopt when it runs on the host.
// Errors: the daemon's, when it cannot inspect a container the kernel says we are in.
util::Result<std::optional<docker::ContainerDetails>> inspect_own_container(docker::Api& api,
                                                                            const std::string& mountinfo_path);

// What `docker run -v SOURCE:...` needs to mount `dir` into another container: the
// name of the Docker volume mounted there in volback's own container, the host path of
// a bind mount, or `dir` itself when volback runs on the host. nullopt when Docker
// cannot tell (no error: callers use it to improve a message).
std::optional<std::string> docker_mount_source_of(const docker::DockerSettings& settings, const std::string& dir,
                                                  const std::string& default_socket = "/var/run/docker.sock",
                                                  const std::string& mountinfo_path = std::string(k_mountinfo_path));

}  // namespace volback::app
