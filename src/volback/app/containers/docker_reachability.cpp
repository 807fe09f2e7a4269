#include <volback/app/containers/docker_reachability.hpp>

#include <fmt/format.h>

#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/docker/http_api.hpp>
#include <volback/docker/stop_plan.hpp>

namespace volback::app {

std::vector<CheckResult> check_docker(const docker::DockerSettings& settings, const util::CancelToken& cancel) {
  const auto endpoint = resolve_docker_endpoint(settings, "/var/run/docker.sock");
  if (!endpoint) {
    return {};
  }
  CheckResult result{fmt::format("docker {}", endpoint->describe()), false, {}};
  const auto fail_with = [&result](const util::Error& error) {
    result.detail = error.message();
    return std::vector<CheckResult>{result};
  };
  auto api = docker::make_http_api(*endpoint, settings.api_version, cancel);
  if (!api) {
    return fail_with(api.error());
  }
  auto info = (*api)->info();
  if (!info) {
    return fail_with(info.error());
  }
  auto running = (*api)->list_containers(docker::ContainerFilter{});
  if (!running) {
    return fail_with(running.error());
  }
  std::vector<docker::ServiceSummary> services;
  if (info->is_swarm_manager()) {
    auto listed = (*api)->list_services();
    if (!listed) {
      return fail_with(listed.error());
    }
    services = std::move(*listed);
  }
  auto plan = docker::plan_stop(*running, services, settings.labels);
  if (!plan) {
    return fail_with(plan.error());
  }
  result.ok = true;
  result.detail = fmt::format("API {}, {} running container(s), {} would be stopped, {} service(s) scaled down",
                              (*api)->api_version(), running->size(), plan->containers.size(), plan->services.size());
  return {result};
}

}  // namespace volback::app
