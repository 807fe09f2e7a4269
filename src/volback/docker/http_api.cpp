#include <volback/docker/http_api.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/docker/api_version.hpp>
#include <volback/docker/json_parse.hpp>
#include <volback/docker/stream_demux.hpp>
#include <volback/http/transport.hpp>
#include <volback/util/redact.hpp>

namespace volback::docker {

namespace {

using nlohmann::json;

util::ErrorKind kind_of_status(long status) {
  switch (status) {
  case 400: return util::ErrorKind::invalid_argument;
  case 401:
  case 403: return util::ErrorKind::auth;
  case 404: return util::ErrorKind::not_found;
  case 502:
  case 503:
  case 504: return util::ErrorKind::transient;
  default: return util::ErrorKind::permanent;
  }
}

std::string label_filter(const std::vector<std::string>& labels) {
  json filters = json::object();
  if (!labels.empty()) {
    filters["label"] = labels;
  }
  return http::url_encode(filters.dump(), http::Slash::encode);
}

class HttpApi final : public Api {
 public:
  HttpApi(Endpoint endpoint, const util::CancelToken& cancel)
    : m_endpoint(std::move(endpoint)), m_cancel(cancel), m_transport(make_transport(std::chrono::milliseconds{0})) {}

  util::Result<void> negotiate(const std::optional<std::string>& override_version) {
    std::optional<std::string> announced;
    auto ping = send(*m_transport, "GET", "/_ping", "");
    if (ping && ping->status == 200) {
      if (auto header = ping->header("api-version")) {
        announced = std::string(*header);
      }
    } else if (!ping && ping.error().kind() != util::ErrorKind::invalid_argument) {
      if (!override_version) {
        return util::fail(ping.error());
      }
    }
    if (!announced && !override_version) {
      auto version = send(*m_transport, "GET", "/version", "");
      if (version && version->status == 200) {
        if (auto parsed = parse_version_api(version->body)) {
          announced = *parsed;
        }
      }
    }
    VOLBACK_TRY_ASSIGN(m_version, negotiate_api_version(override_version, announced));
    return {};
  }

  const std::string& api_version() const override { return m_version; }

  util::Result<Info> info() override {
    VOLBACK_TRY_ASSIGN(const auto body, call("GET", "/info"));
    return parse_info(body);
  }

  util::Result<std::vector<ContainerSummary>> list_containers(const ContainerFilter& filter) override {
    std::string path = "/containers/json?filters=" + label_filter(filter.labels);
    if (filter.all) {
      path += "&all=1";
    }
    VOLBACK_TRY_ASSIGN(const auto body, call("GET", path));
    return parse_container_list(body);
  }

  util::Result<ContainerDetails> inspect_container(const std::string& id) override {
    VOLBACK_TRY_ASSIGN(const auto body, call("GET", "/containers/" + encoded(id) + "/json"));
    return parse_container_details(body);
  }

  util::Result<void> stop_container(const std::string& id) override {
    VOLBACK_TRY(call("POST", "/containers/" + encoded(id) + "/stop"));
    return {};
  }

  util::Result<void> start_container(const std::string& id) override {
    VOLBACK_TRY(call("POST", "/containers/" + encoded(id) + "/start"));
    return {};
  }

  util::Result<std::string> create_container(const CreateContainerRequest& request) override {
    std::string path = "/containers/create";
    if (!request.name.empty()) {
      path += "?name=" + http::url_encode(request.name, http::Slash::encode);
    }
    VOLBACK_TRY_ASSIGN(const auto body, call("POST", path, create_container_body(request)));
    return parse_created_id(body);
  }

  util::Result<void> remove_container(const std::string& id) override {
    VOLBACK_TRY(call("DELETE", "/containers/" + encoded(id) + "?force=1&v=1"));
    return {};
  }

  util::Result<std::vector<ServiceSummary>> list_services() override {
    VOLBACK_TRY_ASSIGN(const auto body, call("GET", "/services"));
    return parse_service_list(body);
  }

  util::Result<void> scale_service(const std::string& id, std::uint64_t replicas) override {
    return update_service(id, [replicas](json& spec) { spec["Mode"]["Replicated"]["Replicas"] = replicas; });
  }

  util::Result<void> force_update_service(const std::string& id) override {
    return update_service(id, [](json& spec) {
      auto& task = spec["TaskTemplate"];
      const auto it = task.find("ForceUpdate");
      const std::uint64_t current = it != task.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
      task["ForceUpdate"] = current + 1;
    });
  }

  util::Result<std::size_t> count_running_tasks(const std::string& service_id) override {
    json filters = {{"service", {service_id}}};
    VOLBACK_TRY_ASSIGN(const auto body,
                       call("GET", "/tasks?filters=" + http::url_encode(filters.dump(), http::Slash::encode)));
    return parse_running_task_count(body);
  }

  util::Result<ExecOutput> exec(const std::string& container_id, const ExecRequest& request,
                                std::chrono::milliseconds timeout) override {
    json create = {
      {"AttachStdin", false}, {"AttachStdout", true}, {"AttachStderr", true}, {"Tty", false}, {"Cmd", request.argv}};
    if (request.user) {
      create["User"] = *request.user;
    }
    if (!request.env.empty()) {
      create["Env"] = request.env;
    }
    // Each exec has its own connections, so that several run at once.
    auto transport = make_transport(std::chrono::milliseconds{0});
    VOLBACK_TRY_ASSIGN(const auto created,
                       call_on(*transport, "POST", "/containers/" + encoded(container_id) + "/exec", create.dump()));
    VOLBACK_TRY_ASSIGN(const std::string exec_id, parse_exec_id(created));

    StreamDemux demux;
    const http::ResponseSink sink = [&demux](std::span<const std::byte> chunk) -> util::Result<void> {
      demux.feed(chunk);
      return {};
    };
    {
      auto stream = make_transport(timeout);
      http::Request start;
      start.method = "POST";
      start.url = url("/exec/" + encoded(exec_id) + "/start");
      start.headers.push_back({"Content-Type", "application/json"});
      start.body = R"({"Detach":false,"Tty":false})";
      auto response = stream->send(start, &sink);
      if (!response) {
        if (response.error().kind() == util::ErrorKind::transient && timeout.count() > 0) {
          return util::fail(util::ErrorKind::transient,
                            fmt::format("the command did not finish within {}s", timeout.count() / 1000));
        }
        return util::fail(response.error());
      }
      if (response->status >= 300) {
        return util::fail(
          kind_of_status(response->status),
          fmt::format("the Docker daemon refused to start the command: {}", parse_error_message(response->body)));
      }
    }
    VOLBACK_TRY_ASSIGN(const auto inspected, call_on(*transport, "GET", "/exec/" + encoded(exec_id) + "/json", ""));
    VOLBACK_TRY_ASSIGN(const ExecState state, parse_exec_state(inspected));
    return ExecOutput{demux.out(), demux.err(), state.exit_code};
  }

 private:
  std::unique_ptr<http::Transport> make_transport(std::chrono::milliseconds timeout) const {
    http::TransportOptions options;
    if (m_endpoint.kind == Endpoint::Kind::unix_socket) {
      options.unix_socket = m_endpoint.address;
    }
    if (m_endpoint.tls) {
      options.ca_file = m_endpoint.tls->ca_file;
      options.client_cert_file = m_endpoint.tls->cert_file;
      options.client_key_file = m_endpoint.tls->key_file;
      options.verify_tls = m_endpoint.tls->verify;
    }
    options.timeout = timeout;
    // An exec may print nothing for a long time; only a whole-request timeout applies.
    options.stall_timeout = std::chrono::seconds{24 * 3600};
    options.cancel = &m_cancel;
    return http::make_curl_transport(std::move(options));
  }

  std::string url(const std::string& path) const {
    const std::string host =
      m_endpoint.kind == Endpoint::Kind::unix_socket ? std::string("localhost") : m_endpoint.address;
    const std::string origin = (m_endpoint.tls ? "https://" : "http://") + host;
    if (m_version.empty() || path == "/_ping" || path == "/version") {
      return origin + path;
    }
    return origin + "/v" + m_version + path;
  }

  static std::string encoded(const std::string& segment) { return http::url_encode(segment, http::Slash::encode); }

  util::Result<http::Response> send(http::Transport& transport, std::string_view method, const std::string& path,
                                    std::string body) const {
    http::Request request;
    request.method = std::string(method);
    request.url = url(path);
    if (!body.empty()) {
      request.headers.push_back({"Content-Type", "application/json"});
      request.body = std::move(body);
    } else if (method == "POST") {
      request.headers.push_back({"Content-Type", "application/json"});
    }
    auto response = transport.send(request);
    if (!response) {
      return util::fail(
        response.error().with_context(fmt::format("Docker daemon at {}: {} {}", m_endpoint.describe(), method, path)));
    }
    return response;
  }

  // A request whose answer must be 2xx or 304 (not modified: already stopped/started).
  util::Result<std::string> call_on(http::Transport& transport, std::string_view method, const std::string& path,
                                    std::string body) const {
    VOLBACK_TRY_ASSIGN(auto response, send(transport, method, path, std::move(body)));
    if ((response.status >= 200 && response.status < 300) || response.status == 304) {
      return std::move(response.body);
    }
    return util::fail(kind_of_status(response.status),
                      fmt::format("Docker daemon: {} {}: HTTP {}: {}", method, path, response.status,
                                  parse_error_message(response.body)));
  }

  util::Result<std::string> call(std::string_view method, const std::string& path, std::string body = {}) {
    return call_on(*m_transport, method, path, std::move(body));
  }

  template <typename Change>
  util::Result<void> update_service(const std::string& id, Change change) {
    VOLBACK_TRY_ASSIGN(const auto body, call("GET", "/services/" + encoded(id)));
    json service = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (service.is_discarded() || !service.is_object() || !service.contains("Spec") || !service.contains("Version")) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("the Docker daemon's answer to GET /services/{} is not a service", id));
    }
    json spec = service["Spec"];
    const auto version = service["Version"].value("Index", std::uint64_t{0});
    try {
      change(spec);
    } catch (const json::exception& e) {
      return util::fail(util::ErrorKind::permanent, fmt::format("cannot update service {}: {}", id, e.what()));
    }
    VOLBACK_TRY(call("POST", fmt::format("/services/{}/update?version={}", encoded(id), version), spec.dump()));
    return {};
  }

  Endpoint m_endpoint;
  const util::CancelToken& m_cancel;
  std::unique_ptr<http::Transport> m_transport;
  std::string m_version;
};

}  // namespace

std::string Endpoint::describe() const {
  if (kind == Kind::unix_socket) {
    return "unix://" + address;
  }
  return "tcp://" + address + (tls ? " (TLS)" : "");
}

util::Result<Endpoint> parse_docker_host(std::string_view value) {
  // The value is shown without its user info, if any (never a password).
  const auto bad = [value](std::string_view why) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("invalid value \"{}\" for DOCKER_HOST: {}",
                                                                     util::redact_endpoint_userinfo(value), why));
  };
  constexpr std::string_view k_unix = "unix://";
  constexpr std::string_view k_tcp = "tcp://";
  constexpr std::string_view k_http = "http://";
  if (value.starts_with(k_unix)) {
    const auto path = value.substr(k_unix.size());
    if (path.empty() || path.front() != '/') {
      return bad("a unix socket needs an absolute path (unix:///var/run/docker.sock)");
    }
    return Endpoint{Endpoint::Kind::unix_socket, std::string(path)};
  }
  std::string_view rest;
  if (value.starts_with(k_tcp)) {
    rest = value.substr(k_tcp.size());
  } else if (value.starts_with(k_http)) {
    rest = value.substr(k_http.size());
  } else {
    return bad("volback supports unix:// and tcp:// (plain HTTP, e.g. a socket proxy)");
  }
  if (rest.find('@') != std::string_view::npos) {
    return bad(
      "must not hold user info (user:password@): volback speaks plain HTTP to the Docker daemon, without "
      "credentials");
  }
  while (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  const auto colon = rest.rfind(':');
  if (rest.empty() || rest.find('/') != std::string_view::npos || colon == std::string_view::npos ||
      colon + 1 == rest.size()) {
    return bad("expected tcp://host:port");
  }
  return Endpoint{Endpoint::Kind::tcp, std::string(rest)};
}

util::Result<std::unique_ptr<Api>> make_http_api(const Endpoint& endpoint,
                                                 std::optional<std::string> api_version_override,
                                                 const util::CancelToken& cancel) {
  auto api = std::make_unique<HttpApi>(endpoint, cancel);
  VOLBACK_TRY(api->negotiate(api_version_override));
  return std::unique_ptr<Api>(std::move(api));
}

}  // namespace volback::docker
