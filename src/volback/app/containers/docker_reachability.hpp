#pragma once
// The Docker check of `volback check-config` and the daemon's start: read-only.

#include <vector>

#include <volback/app/run/run_history.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/util/cancel.hpp>

namespace volback::app {

// When Docker is configured (DOCKER_HOST, or the default socket exists): that the daemon
// answers, and what a run would stop now (a label conflict or the Swarm collision rule
// fails the check). Nothing is stopped or started. No result when Docker is not set up.
std::vector<CheckResult> check_docker(const docker::DockerSettings& settings, const util::CancelToken& cancel);

}  // namespace volback::app
