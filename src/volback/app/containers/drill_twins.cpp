#include <volback/app/containers/drill_twins.hpp>

#include <regex>
#include <thread>

#include <fmt/format.h>

#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/containers/own_container.hpp>
#include <volback/docker/http_api.hpp>
#include <volback/docker/volume_users.hpp>
#include <volback/util/trim.hpp>

namespace volback::app {
namespace {

using Clock = std::chrono::steady_clock;

std::string with_slash(const std::string& dir) {
  return dir.ends_with('/') ? dir : dir + "/";
}

// Whether the live container's `mount` is the backup volume read from `ref`.
bool same_volume(const docker::Mount& mount, const docker::VolumeRef& ref) {
  if (mount.type == "volume" && !ref.volume.empty()) {
    return mount.name == ref.volume;
  }
  return !ref.host_path.empty() && mount.source == ref.host_path;
}

struct Target {
  docker::ContainerDetails live;
  std::string command;
  std::optional<std::regex> expect;
};

class DrillTwins final : public DrillChecks {
 public:
  DrillTwins(std::unique_ptr<docker::Api> api, DrillTwinSettings settings, util::Logger& log,
             const util::CancelToken& cancel)
    : m_api(std::move(api)), m_settings(std::move(settings)), m_log(log), m_cancel(cancel) {}

  util::Result<std::vector<std::string>> prepare() override {
    VOLBACK_TRY(remove_leftover_twins());
    VOLBACK_TRY_ASSIGN(const auto labelled,
                       m_api->list_containers({.all = true, .labels = {std::string(k_drill_check_label)}}));
    std::vector<std::string> names;
    for (const auto& summary : labelled) {
      if (summary.labels.contains(k_twin_of_label)) {
        continue;  // a twin carries no check label, but never check a twin
      }
      VOLBACK_TRY_ASSIGN(auto live, m_api->inspect_container(summary.id));
      Target target{std::move(live), summary.labels.at(std::string(k_drill_check_label)), std::nullopt};
      if (target.command.empty()) {
        return util::fail(util::ErrorKind::invalid_argument,
                          fmt::format("container {}: the label {} is empty", summary.name, k_drill_check_label));
      }
      if (const auto expect = summary.labels.find(k_drill_expect_label); expect != summary.labels.end()) {
        try {
          target.expect.emplace(expect->second, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          return util::fail(util::ErrorKind::invalid_argument,
                            fmt::format("container {}: the label {} is not a regular expression: {}", summary.name,
                                        k_drill_expect_label, e.what()));
        }
      }
      names.push_back(summary.name);
      m_targets.push_back(std::move(target));
    }
    VOLBACK_TRY_ASSIGN(auto self, inspect_own_container(*m_api, m_settings.mountinfo_path));
    if (self) {
      m_own_mounts = std::move(self->mounts);
    }
    return names;
  }

  std::vector<AppCheckResult> run(const std::map<std::string, std::string>& restored) override {
    std::vector<AppCheckResult> results;
    for (const auto& target : m_targets) {
      results.push_back(check(target, restored));
    }
    return results;
  }

 private:
  util::Result<void> remove_leftover_twins() {
    VOLBACK_TRY_ASSIGN(const auto twins,
                       m_api->list_containers({.all = true, .labels = {std::string(k_twin_of_label)}}));
    for (const auto& twin : twins) {
      m_log.warn("Removing a drill twin that an earlier drill left behind", {{"container", twin.name}});
      if (auto removed = m_api->remove_container(twin.id);
          !removed && removed.error().kind() != util::ErrorKind::not_found) {
        return util::fail(removed.error().with_context("removing drill twin " + twin.name));
      }
    }
    return {};
  }

  AppCheckResult check(const Target& target, const std::map<std::string, std::string>& restored) {
    const auto start = Clock::now();
    AppCheckResult result{target.live.name, target.command};
    const auto finish = [&](std::string failure) {
      result.failure = std::move(failure);
      result.passed = result.failure.empty();
      result.duration = Clock::now() - start;
      return result;
    };
    auto plan = plan_twin(target.live, m_settings.drill_id, m_settings.sources, m_own_mounts, restored);
    if (!plan) {
      return finish(plan.error().message());
    }
    auto created = m_api->create_container(plan->request);
    if (!created) {
      return finish("cannot create its twin: " + created.error().message());
    }
    const std::string twin = *created;
    m_log.info("Started a drill twin", {{"container", target.live.name},
                                        {"twin", plan->request.name},
                                        {"restored", fmt::format("{}", fmt::join(plan->replaced, ", "))}});
    std::string failure;
    if (auto started = m_api->start_container(twin); !started) {
      failure = "cannot start its twin: " + started.error().message();
    } else {
      failure = retry_check(target, twin, start, result.output);
    }
    if (auto removed = m_api->remove_container(twin); !removed) {
      m_log.error("Could not remove a drill twin",
                  {{"twin", plan->request.name}, {"error", removed.error().message()}});
      if (failure.empty()) {
        failure = "cannot remove its twin: " + removed.error().message();
      }
    }
    return finish(std::move(failure));
  }

  // Runs the check until it passes or the timeout passes; "" when it passed.
  std::string retry_check(const Target& target, const std::string& twin, Clock::time_point start, std::string& output) {
    const auto deadline = start + m_settings.timeout;
    std::string last;
    for (;;) {
      if (m_cancel.requested()) {
        return "cancelled";
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      auto ran =
        m_api->exec(twin, {.argv = {"sh", "-c", target.command}}, std::max(left, std::chrono::milliseconds{1000}));
      if (ran) {
        output = last_lines(ran->out + ran->err);
        if (ran->exit_code == 0) {
          const auto out = util::trim(ran->out);  // "$" matches at the end, not before a final newline
          if (!target.expect || std::regex_search(out.begin(), out.end(), *target.expect)) {
            return {};
          }
          last = fmt::format("its output does not match {}", k_drill_expect_label);
        } else {
          last = fmt::format("the check exited with {}", ran->exit_code);
        }
      } else {
        last = ran.error().message();
      }
      if (Clock::now() + m_settings.retry_interval >= deadline) {
        return fmt::format("the check did not pass within {} s: {}",
                           std::chrono::duration_cast<std::chrono::seconds>(m_settings.timeout).count(), last);
      }
      for (auto waited = std::chrono::milliseconds{0}; waited < m_settings.retry_interval && !m_cancel.requested();
           waited += std::chrono::milliseconds{100}) {
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      }
    }
  }

  std::unique_ptr<docker::Api> m_api;
  DrillTwinSettings m_settings;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  std::vector<Target> m_targets;
  std::optional<std::vector<docker::Mount>> m_own_mounts;
};

class NoDrillChecks final : public DrillChecks {
 public:
  util::Result<std::vector<std::string>> prepare() override { return std::vector<std::string>{}; }
  std::vector<AppCheckResult> run(const std::map<std::string, std::string>&) override { return {}; }
};

}  // namespace

util::Result<TwinPlan> plan_twin(const docker::ContainerDetails& live, const std::string& drill_id,
                                 const std::string& sources,
                                 const std::optional<std::vector<docker::Mount>>& own_mounts,
                                 const std::map<std::string, std::string>& restored) {
  TwinPlan plan;
  plan.request.name = fmt::format("{}-volback-drill-{}", live.name, drill_id);
  plan.request.config = live.config;
  plan.request.labels = {{std::string(k_twin_of_label), live.name}, {std::string(k_twin_drill_label), drill_id}};
  for (const auto& mount : live.mounts) {
    std::optional<std::string> copy;
    for (const auto& [volume, dir] : restored) {
      if (same_volume(mount, docker::volume_ref_of(with_slash(sources) + volume, own_mounts))) {
        const auto scratch = docker::volume_ref_of(dir, own_mounts);
        if (scratch.host_path.empty()) {
          return util::fail(util::ErrorKind::invalid_argument,
                            fmt::format("the drill's directory {} is not on a volume or bind mount of volback's "
                                        "container, so no other container can mount it: set VOLBACK_DRILL_DIR to a "
                                        "directory on one",
                                        dir));
        }
        copy = scratch.host_path;
        break;
      }
    }
    if (copy) {
      plan.request.binds.push_back(*copy + ":" + mount.destination);
      plan.replaced.push_back(mount.destination);
    } else if (!mount.read_write && (mount.type == "bind" || (mount.type == "volume" && !mount.name.empty()))) {
      // Configuration and programs mounted read-only: the twin cannot change them.
      plan.request.binds.push_back((mount.type == "volume" ? mount.name : mount.source) + ":" + mount.destination +
                                   ":ro");
      plan.kept_read_only.push_back(mount.destination);
    } else {
      plan.left_out.push_back(mount.destination);
    }
  }
  if (plan.replaced.empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("none of the volumes of container {} is in the backup", live.name));
  }
  return plan;
}

std::unique_ptr<DrillChecks> make_drill_twins(std::unique_ptr<docker::Api> api, DrillTwinSettings settings,
                                              util::Logger& log, const util::CancelToken& cancel) {
  return std::make_unique<DrillTwins>(std::move(api), std::move(settings), log, cancel);
}

std::unique_ptr<DrillChecks> make_no_drill_checks() {
  return std::make_unique<NoDrillChecks>();
}

util::Result<std::unique_ptr<DrillChecks>> make_docker_drill_checks(const docker::DockerSettings& docker,
                                                                    DrillTwinSettings settings, util::Logger& log,
                                                                    const util::CancelToken& cancel,
                                                                    const std::string& default_socket) {
  const auto endpoint = resolve_docker_endpoint(docker, default_socket);
  if (!endpoint) {
    return make_no_drill_checks();
  }
  VOLBACK_TRY_ASSIGN(auto api, docker::make_http_api(*endpoint, docker.api_version, cancel));
  return make_drill_twins(std::move(api), std::move(settings), log, cancel);
}

std::string last_lines(std::string_view text, std::size_t lines, std::size_t max_bytes) {
  while (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
  }
  std::size_t begin = text.size();
  for (std::size_t seen = 0; begin > 0 && seen < lines;) {
    --begin;
    if (text[begin] == '\n' && ++seen == lines) {
      ++begin;
      break;
    }
  }
  text = text.substr(begin);
  if (text.size() > max_bytes) {
    text = text.substr(text.size() - max_bytes);
  }
  return std::string(text);
}

}  // namespace volback::app
