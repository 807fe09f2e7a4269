#include <volback/app/containers/docker_quiescer.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>

#include <volback/app/containers/crash_journal.hpp>
#include <volback/app/containers/own_container.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/docker/http_api.hpp>
#include <volback/docker/volume_users.hpp>

namespace volback::app {

namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

// "<stop label>=<value> or <no-restart label>=<value>", as offen's log lines name them.
std::string stop_labels(const docker::StopLabelValues& labels) {
  return fmt::format("{}={} or {}={}", docker::k_stop_label, labels.stop, docker::k_no_restart_label,
                     labels.no_restart);
}

std::optional<util::Error> first_error(std::optional<util::Error> current, const util::Error& next) {
  return current ? current : std::optional<util::Error>(next);
}

}  // namespace

DockerQuiescer::DockerQuiescer(DockerConnector connect, DockerQuiescerOptions options, util::Logger& log,
                               const util::CancelToken& cancel, Sleeper sleep)
  : m_connect(std::move(connect)),
    m_options(std::move(options)),
    m_log(log),
    m_cancel(cancel),
    m_sleep(std::move(sleep)) {}

util::Result<docker::Api*> DockerQuiescer::api() {
  if (!m_api) {
    VOLBACK_TRY_ASSIGN(m_api, m_connect(m_never));
  }
  return m_api.get();
}

util::Result<void> DockerQuiescer::recover() {
  VOLBACK_TRY_ASSIGN(const auto journal, read_crash_journal(m_options.journal_path));
  if (!journal) {
    return {};
  }
  VOLBACK_TRY_ASSIGN(docker::Api * api, this->api());
  m_log.warn("An earlier run was interrupted while containers were stopped; bringing them back",
             {{"journal", m_options.journal_path}});
  std::set<std::string> force_updated;
  for (const auto& entry : journal->containers) {
    auto details = api->inspect_container(entry.id);
    if (!details) {
      if (details.error().kind() == util::ErrorKind::not_found) {
        m_log.warn(fmt::format("Container {} stopped by the interrupted run no longer exists", entry.name));
        continue;
      }
      return util::fail(details.error().with_context("recovering from the crash journal"));
    }
    if (details->running) {
      continue;
    }
    if (details->started_at != entry.started_at) {
      m_log.warn(
        fmt::format("Container {} was started and stopped again since the interrupted run stopped it; "
                    "leaving it stopped",
                    entry.name));
      continue;
    }
    if (entry.service_id) {
      if (force_updated.insert(*entry.service_id).second) {
        if (auto updated = api->force_update_service(*entry.service_id); !updated) {
          m_log.error(fmt::format("Restarting container {} through its service failed", entry.name),
                      {{"error", updated.error().message()}});
          continue;
        }
      }
      m_log.warn(
        fmt::format("Restarted container {} through its service, left stopped by an interrupted run", entry.name));
      continue;
    }
    if (auto started = api->start_container(entry.id); !started) {
      m_log.error(fmt::format("Restarting container {} left stopped by an interrupted run failed", entry.name),
                  {{"error", started.error().message()}});
      continue;
    }
    m_log.warn(fmt::format("Restarted container {}, left stopped by an interrupted run", entry.name));
  }
  if (!journal->services.empty()) {
    VOLBACK_TRY_ASSIGN(const auto services, api->list_services());
    for (const auto& entry : journal->services) {
      const auto it = std::find_if(services.begin(), services.end(),
                                   [&entry](const docker::ServiceSummary& s) { return s.id == entry.id; });
      if (it == services.end() || !it->replicas || *it->replicas != 0) {
        continue;  // gone, or scaled by someone since
      }
      if (auto scaled = api->scale_service(entry.id, entry.replicas); !scaled) {
        m_log.error(fmt::format("Scaling service {} back up failed", entry.name),
                    {{"error", scaled.error().message()}});
        continue;
      }
      m_log.warn(fmt::format("Scaled service {} back to {} replica(s), left at 0 by an interrupted run", entry.name,
                             entry.replicas));
    }
  }
  return remove_crash_journal(m_options.journal_path);
}

util::Result<std::vector<std::string>> DockerQuiescer::volume_users(
  docker::Api& api, const std::vector<docker::ContainerSummary>& running) {
  std::vector<std::string> ids;
  if (m_options.volume_dirs.empty()) {
    return ids;
  }
  VOLBACK_TRY_ASSIGN(auto self, inspect_own_container(api, m_options.mountinfo_path));
  std::optional<std::vector<docker::Mount>> own_mounts;
  std::string self_id;
  if (self) {
    self_id = self->id;
    own_mounts = std::move(self->mounts);
  }
  std::vector<docker::VolumeRef> refs;
  for (const auto& dir : m_options.volume_dirs) {
    refs.push_back(docker::volume_ref_of(dir, own_mounts));
  }
  for (const auto& user : docker::containers_using(running, refs, self_id)) {
    ids.push_back(user.id);
  }
  return ids;
}

util::Result<docker::StopPlan> DockerQuiescer::make_plan() {
  VOLBACK_TRY_ASSIGN(docker::Api * api, this->api());
  VOLBACK_TRY_ASSIGN(const docker::Info info, api->info());
  VOLBACK_TRY_ASSIGN(const auto running, api->list_containers(docker::ContainerFilter{}));
  std::vector<docker::ServiceSummary> services;
  if (info.is_swarm_manager()) {
    VOLBACK_TRY_ASSIGN(services, api->list_services());
  }
  VOLBACK_TRY_ASSIGN(const auto users, volume_users(*api, running));
  return docker::plan_stop(running, services, m_options.labels, users);
}

util::Result<Quiesced> DockerQuiescer::plan() {
  VOLBACK_TRY_ASSIGN(const docker::StopPlan plan, make_plan());
  Quiesced planned{.running_containers = plan.running_containers, .all_services = plan.all_services};
  for (const auto& container : plan.containers) {
    planned.containers.push_back(container.name);
  }
  for (const auto& service : plan.services) {
    planned.services.push_back(service.name);
  }
  return planned;
}

util::Result<Quiesced> DockerQuiescer::quiesce() {
  VOLBACK_TRY_ASSIGN(docker::Api * api, this->api());
  VOLBACK_TRY_ASSIGN(const docker::StopPlan plan, make_plan());
  if (plan.empty()) {
    return Quiesced{.running_containers = plan.running_containers, .all_services = plan.all_services};
  }

  // Each container's StartedAt before anything stops, for the crash journal.
  std::vector<std::string> started_at;
  std::vector<std::string> stop_order;
  std::vector<std::string> restart_order;
  for (const auto& container : plan.containers) {
    stop_order.push_back(container.name);
    if (container.restart == docker::Restart::yes) {
      restart_order.insert(restart_order.begin(), container.name);
      VOLBACK_TRY_ASSIGN(const auto details, api->inspect_container(container.id));
      started_at.push_back(details.started_at);
    } else {
      started_at.emplace_back();
    }
  }

  // The journal grows before each stop or scale-down is requested, so that it names
  // exactly what this run may have stopped if the process dies at any point.
  CrashJournal journal;
  std::optional<util::Error> failed;
  if (!plan.containers.empty()) {
    std::vector<std::string> volume_users;
    for (const auto& container : plan.containers) {
      if (container.reason == docker::StopReason::uses_volume) {
        volume_users.push_back(container.name);
      }
    }
    if (plan.containers.size() > volume_users.size()) {
      m_log.info(fmt::format("Stopping {} out of {} running container(s) as they were labeled {}.",
                             plan.containers.size() - volume_users.size(), plan.running_containers,
                             stop_labels(m_options.labels)));
    }
    if (!volume_users.empty()) {
      m_log.info(
        fmt::format("Stopping {} more container(s) as they use the volumes being restored.", volume_users.size()),
        {{"containers", join_names(volume_users)}});
    }
    m_log.info("Stop order", {{"containers", join_names(stop_order)}});
    if (!restart_order.empty()) {
      m_log.info("Restart order", {{"containers", join_names(restart_order)}});
    }
  }
  for (std::size_t i = 0; i < plan.containers.size(); ++i) {
    const auto& container = plan.containers[i];
    if (container.restart == docker::Restart::yes) {
      journal.containers.push_back({container.id, container.name, started_at[i], container.service_id});
      if (auto written = write_crash_journal(m_options.journal_path, journal); !written) {
        failed = first_error(failed, written.error());
        break;
      }
    }
    if (auto stopped = api->stop_container(container.id); !stopped) {
      m_log.error(fmt::format("Stopping container {} failed", container.name), {{"error", stopped.error().message()}});
      failed = first_error(failed, stopped.error().with_context(fmt::format("stopping container {}", container.name)));
      continue;
    }
    m_stopped.push_back(container);
  }
  if (!plan.services.empty()) {
    m_log.info(fmt::format("Scaling down {} out of {} active service(s) as they were labeled {}.", plan.services.size(),
                           plan.all_services, stop_labels(m_options.labels)));
    std::vector<docker::PlannedService> scaled;
    for (const auto& service : failed ? std::vector<docker::PlannedService>() : plan.services) {
      if (service.restart == docker::Restart::yes) {
        journal.services.push_back({service.id, service.name, service.replicas});
        if (auto written = write_crash_journal(m_options.journal_path, journal); !written) {
          failed = first_error(failed, written.error());
          break;
        }
      }
      if (auto done = api->scale_service(service.id, 0); !done) {
        m_log.error(fmt::format("Scaling down service {} failed", service.name), {{"error", done.error().message()}});
        failed = first_error(failed, done.error().with_context(fmt::format("scaling down service {}", service.name)));
        continue;
      }
      m_scaled.push_back(service);
      scaled.push_back(service);
    }
    if (auto waited = wait_for_services(scaled); !waited) {
      failed = first_error(failed, waited.error());
    }
  }
  if (failed) {
    (void)resume();
    return util::fail(*failed);
  }
  Quiesced quiesced{.running_containers = plan.running_containers, .all_services = plan.all_services};
  for (const auto& container : m_stopped) {
    quiesced.containers.push_back(container.name);
  }
  for (const auto& service : m_scaled) {
    quiesced.services.push_back(service.name);
  }
  return quiesced;
}

util::Result<void> DockerQuiescer::wait_for_services(const std::vector<docker::PlannedService>& services) {
  VOLBACK_TRY_ASSIGN(docker::Api * api, this->api());
  const auto deadline_polls =
    std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(m_options.service_timeout).count() /
                                std::max<std::int64_t>(1, m_options.poll_interval.count()));
  for (const auto& service : services) {
    for (std::int64_t poll = 0;; ++poll) {
      VOLBACK_TRY_ASSIGN(const std::size_t live, api->count_running_tasks(service.id));
      if (live == 0) {
        break;
      }
      if (poll >= deadline_polls) {
        return util::fail(
          util::ErrorKind::transient,
          fmt::format("service {} still has {} running task(s) after BACKUP_STOP_SERVICE_TIMEOUT", service.name, live));
      }
      VOLBACK_TRY(m_cancel.check());
      m_sleep(m_options.poll_interval);
    }
  }
  return {};
}

util::Result<void> DockerQuiescer::resume() {
  std::optional<util::Error> failed;
  if (m_stopped.empty() && m_scaled.empty()) {
    return remove_crash_journal(m_options.journal_path);
  }
  VOLBACK_TRY_ASSIGN(docker::Api * api, this->api());
  std::size_t to_restart = 0;
  std::size_t restarted = 0;
  std::set<std::string> force_updated;
  for (auto it = m_stopped.rbegin(); it != m_stopped.rend(); ++it) {
    if (it->restart == docker::Restart::no) {
      continue;
    }
    ++to_restart;
    util::Result<void> done;
    if (it->service_id) {
      // A Swarm task does not come back with a start: its service is force-updated.
      if (force_updated.insert(*it->service_id).second) {
        done = api->force_update_service(*it->service_id);
      }
    } else {
      done = api->start_container(it->id);
    }
    if (!done) {
      m_log.error(fmt::format("Restarting container {} failed", it->name), {{"error", done.error().message()}});
      failed = first_error(failed, done.error().with_context(fmt::format("restarting container {}", it->name)));
      continue;
    }
    ++restarted;
  }
  if (to_restart > 0) {
    m_log.info(fmt::format("Restarted {} out of {} stopped container(s).", restarted, to_restart));
  }
  std::size_t to_scale = 0;
  std::size_t scaled = 0;
  for (const auto& service : m_scaled) {
    if (service.restart == docker::Restart::no) {
      continue;
    }
    ++to_scale;
    if (auto done = api->scale_service(service.id, service.replicas); !done) {
      m_log.error(fmt::format("Scaling service {} back up failed", service.name), {{"error", done.error().message()}});
      failed = first_error(failed, done.error().with_context(fmt::format("scaling up service {}", service.name)));
      continue;
    }
    ++scaled;
  }
  if (to_scale > 0) {
    m_log.info(fmt::format("Scaled {} out of {} scaled down service(s) back up.", scaled, to_scale));
  }
  m_stopped.clear();
  m_scaled.clear();
  if (failed) {
    return util::fail(*failed);  // the journal stays: the next run retries what is still stopped
  }
  return remove_crash_journal(m_options.journal_path);
}

std::optional<docker::Endpoint> resolve_docker_endpoint(const docker::DockerSettings& settings,
                                                        const std::string& default_socket) {
  if (settings.docker_host) {
    auto parsed = docker::parse_docker_host(*settings.docker_host);
    if (!parsed) {
      return std::nullopt;
    }
    if (parsed->kind == docker::Endpoint::Kind::tcp) {
      parsed->tls = settings.tls;
    }
    return std::optional<docker::Endpoint>(std::move(*parsed));
  }
  std::error_code ec;
  if (!std::filesystem::exists(default_socket, ec)) {
    return std::nullopt;
  }
  return docker::Endpoint{docker::Endpoint::Kind::unix_socket, default_socket};
}

std::unique_ptr<Quiescer> make_quiescer(const docker::DockerSettings& settings, const std::string& state_dir,
                                        util::Logger& log, const util::CancelToken& cancel,
                                        std::vector<std::string> volume_dirs, const std::string& default_socket) {
  const auto* docker_settings = &settings;
  const auto resolved = resolve_docker_endpoint(*docker_settings, default_socket);
  if (!resolved) {
    if (!docker_settings->docker_host) {
      log.info(
        fmt::format("{} does not exist and DOCKER_HOST is not set; no containers are stopped and no exec "
                    "labels run",
                    default_socket));
    }
    return std::make_unique<NoQuiescer>();
  }
  const docker::Endpoint endpoint = *resolved;
  for (const auto& warning : docker_settings->warnings) {
    log.warn(warning);
  }
  DockerQuiescerOptions options;
  options.labels = docker_settings->labels;
  options.service_timeout = docker_settings->service_timeout;
  options.journal_path = crash_journal_path(state_dir);
  options.volume_dirs = std::move(volume_dirs);
  DockerConnector connect = [endpoint, version = docker_settings->api_version](const util::CancelToken& token) {
    return docker::make_http_api(endpoint, version, token);
  };
  return std::make_unique<DockerQuiescer>(std::move(connect), std::move(options), log, cancel,
                                          [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
}

}  // namespace volback::app
