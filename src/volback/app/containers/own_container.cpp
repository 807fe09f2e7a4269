#include <volback/app/containers/own_container.hpp>

#include <fstream>
#include <sstream>

#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/docker/http_api.hpp>
#include <volback/docker/volume_users.hpp>

namespace volback::app {

namespace {

std::string read_mountinfo(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

util::Result<std::optional<docker::ContainerDetails>> inspect_own_container(docker::Api& api,
                                                                            const std::string& mountinfo_path) {
  const auto id = docker::own_container_id(read_mountinfo(mountinfo_path));
  if (!id) {
    return std::optional<docker::ContainerDetails>();
  }
  auto self = api.inspect_container(*id);
  if (!self) {
    return util::fail(self.error().with_context("inspecting volback's own container"));
  }
  return std::optional<docker::ContainerDetails>(std::move(*self));
}

std::optional<std::string> docker_mount_source_of(const docker::DockerSettings& settings, const std::string& dir,
                                                  const std::string& default_socket,
                                                  const std::string& mountinfo_path) {
  if (!docker::own_container_id(read_mountinfo(mountinfo_path))) {
    return dir;  // on the host
  }
  const auto* docker_settings = &settings;
  const auto endpoint = resolve_docker_endpoint(*docker_settings, default_socket);
  if (!endpoint) {
    return std::nullopt;
  }
  const util::CancelToken never;
  auto api = docker::make_http_api(*endpoint, docker_settings->api_version, never);
  if (!api) {
    return std::nullopt;
  }
  auto self = inspect_own_container(**api, mountinfo_path);
  if (!self || !*self) {
    return std::nullopt;
  }
  const auto ref = docker::volume_ref_of(dir, (*self)->mounts);
  for (const auto& mount : (*self)->mounts) {
    if (mount.type == "volume" && mount.name == ref.volume && mount.destination == dir) {
      return ref.volume;  // a whole named volume
    }
  }
  return ref.host_path.empty() ? std::nullopt : std::optional<std::string>(ref.host_path);
}

}  // namespace volback::app
