#include <volback/app/containers/exec_phase_hooks.hpp>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <volback/docker/command_line.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/docker/http_api.hpp>

namespace volback::app {

namespace {

constexpr std::string_view k_prefix = "docker-volume-backup.";
constexpr std::string_view k_exec_label_key = "docker-volume-backup.exec-label";

struct Job {
  docker::ContainerSummary container;
  std::string key;  // the label holding the command
};

}  // namespace

ExecPhaseHooks::ExecPhaseHooks(DockerConnector connect, ExecHookOptions options, util::Logger& log,
                               OutputForwarder forward)
  : m_connect(std::move(connect)), m_options(std::move(options)), m_log(log), m_forward(std::move(forward)) {}

util::Result<void> ExecPhaseHooks::pre(Phase phase) {
  return run(phase, "pre");
}

util::Result<void> ExecPhaseHooks::post(Phase phase) {
  return run(phase, "post");
}

util::Result<void> ExecPhaseHooks::connect() {
  if (!m_api) {
    VOLBACK_TRY_ASSIGN(m_api, m_connect(m_never));
  }
  return {};
}

docker::ContainerFilter ExecPhaseHooks::filter_for(std::string key) const {
  docker::ContainerFilter filter;
  filter.labels.push_back(std::move(key));
  if (m_options.exec_label) {
    filter.labels.push_back(fmt::format("{}={}", k_exec_label_key, *m_options.exec_label));
  }
  return filter;
}

util::Result<bool> ExecPhaseHooks::has_commands_after_seal() {
  VOLBACK_TRY(connect());
  const std::pair<Phase, std::string_view> after_seal[] = {{Phase::archive, "post"},
                                                           {Phase::process, "post"},
                                                           {Phase::copy, "post"},
                                                           {Phase::prune, "pre"},
                                                           {Phase::prune, "post"}};
  for (const auto& [phase, when] : after_seal) {
    VOLBACK_TRY_ASSIGN(const auto labelled,
                       m_api->list_containers(filter_for(fmt::format("{}{}-{}", k_prefix, to_string(phase), when))));
    if (!labelled.empty()) {
      return true;
    }
  }
  const std::string old_key = fmt::format("{}exec-post", k_prefix);
  VOLBACK_TRY_ASSIGN(const auto old, m_api->list_containers(docker::ContainerFilter{false, {old_key}}));
  return !old.empty();
}

util::Result<void> ExecPhaseHooks::run(Phase phase, std::string_view when) {
  VOLBACK_TRY(connect());
  const std::string key = fmt::format("{}{}-{}", k_prefix, to_string(phase), when);
  VOLBACK_TRY_ASSIGN(const auto labelled, m_api->list_containers(filter_for(key)));
  std::vector<Job> jobs;
  std::set<std::string> seen;
  for (const auto& container : labelled) {
    seen.insert(container.id);
    jobs.push_back({container, key});
  }
  if (phase == Phase::archive) {
    const std::string old_key = fmt::format("{}exec-{}", k_prefix, when);
    VOLBACK_TRY_ASSIGN(const auto old, m_api->list_containers(docker::ContainerFilter{false, {old_key}}));
    for (const auto& container : old) {
      m_log.warn(
        fmt::format("Container {} uses the deprecated label {}; use {} instead", container.name, old_key, key));
      if (seen.insert(container.id).second) {
        jobs.push_back({container, old_key});
      }
    }
  }
  if (jobs.empty()) {
    return {};
  }
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.container.name < b.container.name; });
  for (const auto& job : jobs) {
    // offen's line; it names the phase's label also for a deprecated exec-pre/exec-post.
    m_log.info(
      fmt::format("Running {} command {} for container {}", key, job.container.labels.at(job.key), job.container.name));
  }

  std::vector<std::optional<util::Error>> errors(jobs.size());
  std::vector<docker::ExecOutput> outputs(jobs.size());
  auto run_one = [&](std::size_t i) {
    const auto& job = jobs[i];
    const auto& labels = job.container.labels;
    auto argv = docker::split_command(labels.at(job.key));
    if (!argv) {
      errors[i] = argv.error();
      return;
    }
    docker::ExecRequest request;
    request.argv = std::move(*argv);
    if (const auto user = labels.find(job.key + ".user"); user != labels.end() && !user->second.empty()) {
      request.user = user->second;
    }
    if (m_archive_path) {
      request.env.push_back("COMMAND_RUNTIME_ARCHIVE_FILEPATH=" + *m_archive_path);
    }
    auto output = m_api->exec(job.container.id, request, m_options.timeout);
    if (!output) {
      errors[i] = output.error();
      return;
    }
    outputs[i] = std::move(*output);
    if (outputs[i].exit_code != 0) {
      errors[i] =
        util::Error(util::ErrorKind::permanent, fmt::format("running command exited {}", outputs[i].exit_code));
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t i = 1; i < jobs.size(); ++i) {
      workers.emplace_back(run_one, i);
    }
    run_one(0);
  }
  std::optional<util::Error> first;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& name = jobs[i].container.name;
    if (m_options.forward_output && m_forward) {
      m_forward(outputs[i].out, outputs[i].err);
    } else if (m_options.forward_output) {
      m_log.info(fmt::format("Output of {} in {}", jobs[i].key, name),
                 {{"stdout", outputs[i].out}, {"stderr", outputs[i].err}});
    } else if (!outputs[i].out.empty() || !outputs[i].err.empty()) {
      m_log.debug(fmt::format("Output of {} in {}", jobs[i].key, name),
                  {{"stdout", outputs[i].out}, {"stderr", outputs[i].err}});
    }
    if (errors[i]) {
      m_log.error(fmt::format("The {} command in container {} failed", jobs[i].key, name),
                  {{"error", errors[i]->message()}});
      if (!first) {
        first = errors[i]->with_context(fmt::format("{} in container {}", jobs[i].key, name));
      }
    }
  }
  if (first) {
    return util::fail(*first);
  }
  return {};
}

std::unique_ptr<PhaseHooks> make_phase_hooks(const docker::DockerSettings& settings, util::Logger& log,
                                             OutputForwarder forward, const std::string& default_socket) {
  const auto* docker_settings = &settings;
  auto endpoint = resolve_docker_endpoint(*docker_settings, default_socket);
  if (!endpoint) {
    return std::make_unique<NoPhaseHooks>();
  }
  ExecHookOptions options;
  options.exec_label = docker_settings->exec_label;
  options.forward_output = docker_settings->exec_forward_output;
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(docker_settings->exec_timeout);
  DockerConnector connect = [endpoint = *endpoint,
                             version = docker_settings->api_version](const util::CancelToken& token) {
    return docker::make_http_api(endpoint, version, token);
  };
  return std::make_unique<ExecPhaseHooks>(std::move(connect), std::move(options), log, std::move(forward));
}

}  // namespace volback::app
