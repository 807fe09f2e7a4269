#include <volback/docker/stop_plan.hpp>

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace volback::docker {

namespace {

std::optional<std::string_view> label(const Labels& labels, std::string_view key) {
  const auto it = labels.find(key);
  if (it == labels.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

// Whether the labels select the object, and whether it comes back. nullopt: not selected.
util::Result<std::optional<Restart>> selection(const Labels& labels, const StopLabelValues& values,
                                               std::string_view what) {
  const auto stop = label(labels, k_stop_label);
  const auto no_restart = label(labels, k_no_restart_label);
  const bool restart = stop && *stop == values.stop;
  const bool keep_stopped = no_restart && *no_restart == values.no_restart;
  if (restart && keep_stopped) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{} is labelled both {}={} and {}={}; choose one", what, k_stop_label, *stop,
                                  k_no_restart_label, *no_restart));
  }
  if (restart) {
    return std::optional<Restart>(Restart::yes);
  }
  if (keep_stopped) {
    return std::optional<Restart>(Restart::no);
  }
  return std::optional<Restart>();
}

// Orders `selected` (sorted by name) so that every container comes after all selected
// containers that depend on it.
std::vector<std::size_t> stop_order(const std::vector<const ContainerSummary*>& selected) {
  const std::size_t n = selected.size();
  // depends[a] holds b when a depends on b (both selected, same compose project).
  std::vector<std::vector<std::size_t>> depends(n);
  for (std::size_t a = 0; a < n; ++a) {
    const auto deps = label(selected[a]->labels, k_compose_depends_on_label);
    if (!deps) {
      continue;
    }
    const auto project = label(selected[a]->labels, k_compose_project_label);
    for (const auto& service : parse_depends_on(*deps)) {
      for (std::size_t b = 0; b < n; ++b) {
        if (b != a && label(selected[b]->labels, k_compose_service_label) == std::optional<std::string_view>(service) &&
            label(selected[b]->labels, k_compose_project_label) == project) {
          depends[a].push_back(b);
        }
      }
    }
  }
  std::vector<std::size_t> waiting(n, 0);  // how many unstopped containers depend on each
  for (std::size_t a = 0; a < n; ++a) {
    for (const auto b : depends[a]) {
      ++waiting[b];
    }
  }
  std::vector<std::size_t> order;
  std::vector<bool> done(n, false);
  while (order.size() < n) {
    std::optional<std::size_t> next;
    for (std::size_t i = 0; i < n && !next; ++i) {
      if (!done[i] && waiting[i] == 0) {
        next = i;
      }
    }
    if (!next) {  // a cycle: break it by name
      for (std::size_t i = 0; i < n && !next; ++i) {
        if (!done[i]) {
          next = i;
        }
      }
    }
    done[*next] = true;
    order.push_back(*next);
    for (const auto b : depends[*next]) {
      if (waiting[b] > 0) {
        --waiting[b];
      }
    }
  }
  return order;
}

}  // namespace

std::vector<std::string> parse_depends_on(std::string_view value) {
  std::vector<std::string> names;
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    const auto colon = item.find(':');
    item = item.substr(0, colon);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    if (!item.empty()) {
      names.emplace_back(item);
    }
  }
  return names;
}

util::Result<StopPlan> plan_stop(const std::vector<ContainerSummary>& running,
                                 const std::vector<ServiceSummary>& services, const StopLabelValues& values,
                                 const std::vector<std::string>& also_stop) {
  StopPlan plan;
  plan.running_containers = running.size();
  plan.all_services = services.size();

  std::map<std::string, const ServiceSummary*, std::less<>> service_by_id;
  for (const auto& service : services) {
    service_by_id.emplace(service.id, &service);
    VOLBACK_TRY_ASSIGN(const auto restart, selection(service.labels, values, fmt::format("service {}", service.name)));
    if (!restart) {
      continue;
    }
    if (!service.replicas) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("service {} is labelled to stop, but only replicated services can be "
                                    "scaled down and back up",
                                    service.name));
    }
    plan.services.push_back({service.id, service.name, *service.replicas, *restart});
  }
  std::sort(plan.services.begin(), plan.services.end(),
            [](const PlannedService& a, const PlannedService& b) { return a.name < b.name; });

  const auto scaled_down = [&plan](std::string_view service_id) {
    return std::any_of(plan.services.begin(), plan.services.end(),
                       [service_id](const PlannedService& s) { return s.id == service_id; });
  };
  std::vector<const ContainerSummary*> selected;
  std::map<const ContainerSummary*, Restart> restart_of;
  std::map<const ContainerSummary*, StopReason> reason_of;
  for (const auto& container : running) {
    VOLBACK_TRY_ASSIGN(auto restart, selection(container.labels, values, fmt::format("container {}", container.name)));
    if (!restart && std::find(also_stop.begin(), also_stop.end(), container.id) != also_stop.end()) {
      const auto service_id = label(container.labels, k_service_id_label);
      if (service_id && scaled_down(*service_id)) {
        continue;
      }
      restart = Restart::yes;
      reason_of[&container] = StopReason::uses_volume;
    }
    if (!restart) {
      continue;
    }
    if (const auto service_id = label(container.labels, k_service_id_label)) {
      const auto parent = service_by_id.find(*service_id);
      if (parent != service_by_id.end() && parent->second->labels.contains(k_stop_label)) {
        return util::fail(util::ErrorKind::invalid_argument,
                          fmt::format("container {} is labelled to stop but has parent service {} which is also "
                                      "labelled, cannot continue",
                                      container.name, parent->second->name));
      }
    }
    selected.push_back(&container);
    restart_of[&container] = *restart;
  }
  std::sort(selected.begin(), selected.end(),
            [](const ContainerSummary* a, const ContainerSummary* b) { return a->name < b->name; });
  for (const auto index : stop_order(selected)) {
    const auto* container = selected[index];
    const auto reason = reason_of.find(container);
    PlannedContainer planned{container->id, container->name, restart_of[container], std::nullopt,
                             reason == reason_of.end() ? StopReason::label : reason->second};
    if (const auto service_id = label(container->labels, k_service_id_label);
        service_id && service_by_id.contains(*service_id)) {
      planned.service_id = std::string(*service_id);
    }
    plan.containers.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace volback::docker
