#include <volback/docker/json_parse.hpp>

#include <array>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace volback::docker {

namespace {

using nlohmann::json;

// Parses without exceptions escaping: a parse error is a permanent error.
util::Result<json> parse(std::string_view text, std::string_view what) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return util::fail(util::ErrorKind::permanent, fmt::format("the Docker daemon's answer to {} is not JSON", what));
  }
  return doc;
}

std::string string_at(const json& object, std::string_view key) {
  if (!object.is_object()) {
    return {};
  }
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Labels labels_at(const json& object, std::string_view key) {
  Labels labels;
  if (!object.is_object()) {
    return labels;
  }
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) {
    return labels;  // Labels is null for a container without labels
  }
  for (const auto& [name, value] : it->items()) {
    if (value.is_string()) {
      labels.emplace(name, value.get<std::string>());
    }
  }
  return labels;
}

std::string strip_slash(std::string name) {
  if (!name.empty() && name.front() == '/') {
    name.erase(0, 1);
  }
  return name;
}

std::vector<Mount> mounts_at(const json& object) {
  std::vector<Mount> mounts;
  const auto it = object.is_object() ? object.find("Mounts") : object.end();
  if (!object.is_object() || it == object.end() || !it->is_array()) {
    return mounts;
  }
  for (const auto& item : *it) {
    Mount m;
    m.type = string_at(item, "Type");
    m.name = string_at(item, "Name");
    m.source = string_at(item, "Source");
    m.destination = string_at(item, "Destination");
    const auto rw = item.is_object() ? item.find("RW") : item.end();
    m.read_write = !item.is_object() || rw == item.end() || !rw->is_boolean() || rw->get<bool>();
    mounts.push_back(std::move(m));
  }
  return mounts;
}

std::vector<std::string> strings_at(const json& object, std::string_view key) {
  std::vector<std::string> values;
  const auto it = object.is_object() ? object.find(key) : object.end();
  if (it != object.end() && it->is_array()) {
    for (const auto& item : *it) {
      if (item.is_string()) {
        values.push_back(item.get<std::string>());
      }
    }
  }
  return values;
}

// A list that the daemon may answer with null (the image's default) or a list.
std::optional<std::vector<std::string>> optional_strings_at(const json& object, std::string_view key) {
  const auto it = object.is_object() ? object.find(key) : object.end();
  if (it == object.end() || !it->is_array()) {
    return std::nullopt;
  }
  return strings_at(object, key);
}

ContainerConfig config_of(const json& doc, const json& config) {
  ContainerConfig c;
  c.image = string_at(doc, "Image");
  if (c.image.empty()) {
    c.image = string_at(config, "Image");
  }
  c.entrypoint = optional_strings_at(config, "Entrypoint");
  c.cmd = optional_strings_at(config, "Cmd");
  c.env = strings_at(config, "Env");
  c.user = string_at(config, "User");
  c.working_dir = string_at(config, "WorkingDir");
  c.stop_signal = string_at(config, "StopSignal");
  return c;
}

util::Error missing(std::string_view field, std::string_view what) {
  return util::Error(util::ErrorKind::permanent,
                     fmt::format("the Docker daemon's answer to {} has no {}", what, field));
}

}  // namespace

util::Result<Info> parse_info(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, "GET /info"));
  if (!doc.is_object()) {
    return util::fail(missing("object", "GET /info"));
  }
  Info info;
  info.server_version = string_at(doc, "ServerVersion");
  if (const auto swarm = doc.find("Swarm"); swarm != doc.end() && swarm->is_object()) {
    info.swarm_node_state = string_at(*swarm, "LocalNodeState");
    const auto control = swarm->find("ControlAvailable");
    info.swarm_control_available = control != swarm->end() && control->is_boolean() && control->get<bool>();
  }
  return info;
}

util::Result<std::vector<ContainerSummary>> parse_container_list(std::string_view text) {
  constexpr std::string_view what = "GET /containers/json";
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, what));
  if (!doc.is_array()) {
    return util::fail(missing("list", what));
  }
  std::vector<ContainerSummary> containers;
  for (const auto& item : doc) {
    ContainerSummary c;
    c.id = string_at(item, "Id");
    if (c.id.empty()) {
      return util::fail(missing("Id", what));
    }
    if (const auto names = item.find("Names");
        names != item.end() && names->is_array() && !names->empty() && names->front().is_string()) {
      c.name = strip_slash(names->front().get<std::string>());
    }
    c.state = string_at(item, "State");
    c.labels = labels_at(item, "Labels");
    c.mounts = mounts_at(item);
    containers.push_back(std::move(c));
  }
  return containers;
}

util::Result<ContainerDetails> parse_container_details(std::string_view text) {
  constexpr std::string_view what = "GET /containers/{id}/json";
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, what));
  ContainerDetails c;
  c.id = string_at(doc, "Id");
  if (c.id.empty()) {
    return util::fail(missing("Id", what));
  }
  c.name = strip_slash(string_at(doc, "Name"));
  const auto state = doc.find("State");
  if (state == doc.end() || !state->is_object()) {
    return util::fail(missing("State", what));
  }
  const auto running = state->find("Running");
  c.running = running != state->end() && running->is_boolean() && running->get<bool>();
  c.started_at = string_at(*state, "StartedAt");
  if (const auto config = doc.find("Config"); config != doc.end()) {
    c.labels = labels_at(*config, "Labels");
    c.config = config_of(doc, *config);
  }
  c.mounts = mounts_at(doc);
  return c;
}

util::Result<std::vector<ServiceSummary>> parse_service_list(std::string_view text) {
  constexpr std::string_view what = "GET /services";
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, what));
  if (!doc.is_array()) {
    return util::fail(missing("list", what));
  }
  std::vector<ServiceSummary> services;
  for (const auto& item : doc) {
    ServiceSummary s;
    s.id = string_at(item, "ID");
    if (s.id.empty()) {
      return util::fail(missing("ID", what));
    }
    const auto spec = item.find("Spec");
    if (spec == item.end() || !spec->is_object()) {
      return util::fail(missing("Spec", what));
    }
    s.name = string_at(*spec, "Name");
    s.labels = labels_at(*spec, "Labels");
    if (const auto mode = spec->find("Mode"); mode != spec->end() && mode->is_object()) {
      if (const auto replicated = mode->find("Replicated"); replicated != mode->end() && replicated->is_object()) {
        const auto replicas = replicated->find("Replicas");
        s.replicas =
          replicas != replicated->end() && replicas->is_number_unsigned() ? replicas->get<std::uint64_t>() : 1;
      }
    }
    if (const auto version = item.find("Version"); version != item.end() && version->is_object()) {
      const auto index = version->find("Index");
      if (index != version->end() && index->is_number_unsigned()) {
        s.version = index->get<std::uint64_t>();
      }
    }
    services.push_back(std::move(s));
  }
  return services;
}

util::Result<std::size_t> parse_running_task_count(std::string_view text) {
  constexpr std::string_view what = "GET /tasks";
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, what));
  if (!doc.is_array()) {
    return util::fail(missing("list", what));
  }
  // Task states up to "running"; everything after it (complete, shutdown, failed, ...)
  // means the task's container is gone or going.
  constexpr std::array<std::string_view, 8> k_live{"new",      "allocated", "pending",  "assigned",
                                                   "accepted", "preparing", "starting", "running"};
  std::size_t live = 0;
  for (const auto& task : doc) {
    const auto status = task.find("Status");
    const std::string state = status != task.end() ? string_at(*status, "State") : std::string();
    for (const auto candidate : k_live) {
      if (state == candidate) {
        ++live;
        break;
      }
    }
  }
  return live;
}

util::Result<std::string> parse_exec_id(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, "POST /containers/{id}/exec"));
  std::string id = string_at(doc, "Id");
  if (id.empty()) {
    return util::fail(missing("Id", "POST /containers/{id}/exec"));
  }
  return id;
}

util::Result<std::string> parse_created_id(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, "POST /containers/create"));
  std::string id = string_at(doc, "Id");
  if (id.empty()) {
    return util::fail(missing("Id", "POST /containers/create"));
  }
  return id;
}

std::string create_container_body(const CreateContainerRequest& request) {
  const ContainerConfig& config = request.config;
  json body = {{"Image", config.image},
               {"Env", config.env},
               {"User", config.user},
               {"WorkingDir", config.working_dir},
               {"Labels", request.labels},
               {"HostConfig",
                {{"Binds", request.binds},
                 {"NetworkMode", "none"},
                 {"RestartPolicy", {{"Name", "no"}}},
                 {"PublishAllPorts", false},
                 {"AutoRemove", false}}}};
  if (config.entrypoint) {
    body["Entrypoint"] = *config.entrypoint;
  }
  if (config.cmd) {
    body["Cmd"] = *config.cmd;
  }
  if (!config.stop_signal.empty()) {
    body["StopSignal"] = config.stop_signal;
  }
  return body.dump();
}

util::Result<ExecState> parse_exec_state(std::string_view text) {
  constexpr std::string_view what = "GET /exec/{id}/json";
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, what));
  if (!doc.is_object()) {
    return util::fail(missing("object", what));
  }
  ExecState state;
  const auto running = doc.find("Running");
  state.running = running != doc.end() && running->is_boolean() && running->get<bool>();
  const auto code = doc.find("ExitCode");
  if (code != doc.end() && code->is_number_integer()) {
    state.exit_code = code->get<int>();
  }
  return state;
}

util::Result<std::string> parse_version_api(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json doc, parse(text, "GET /version"));
  std::string version = string_at(doc, "ApiVersion");
  if (version.empty()) {
    return util::fail(missing("ApiVersion", "GET /version"));
  }
  return version;
}

std::string parse_error_message(std::string_view body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    std::string message = string_at(doc, "message");
    if (!message.empty()) {
      return message;
    }
  }
  std::string text(body);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

}  // namespace volback::docker
