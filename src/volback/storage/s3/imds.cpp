#include <volback/storage/s3/imds.hpp>

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/terminal_text.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::storage::s3 {

namespace {

using json = nlohmann::json;

constexpr std::string_view k_token_path = "/latest/api/token";
constexpr std::string_view k_credentials_path = "/latest/meta-data/iam/security-credentials/";
constexpr std::string_view k_token_ttl_header = "X-aws-ec2-metadata-token-ttl-seconds";
constexpr std::string_view k_token_ttl = "21600";  // six hours, IMDSv2's longest
constexpr std::string_view k_token_header = "X-aws-ec2-metadata-token";
constexpr std::size_t k_max_role_name = 64;
constexpr std::size_t k_max_field = 16 * 1024;  // session tokens are about 1 KiB
constexpr std::size_t k_max_time = 64;

util::Error step_error(util::ErrorKind kind, std::string_view step, std::string_view detail) {
  return util::Error(kind, fmt::format("instance metadata service, {}: {}", step, detail));
}

// Text the server sent, made safe and short for a message.
std::string shown(std::string_view text) {
  constexpr std::size_t k_shown = 100;
  return fmt::format("\"{}{}\"", util::escape_for_terminal(text.substr(0, k_shown)),
                     text.size() > k_shown ? "..." : "");
}

// Visible ASCII only: safe to send in an HTTP header (no CR, LF or spaces).
bool header_safe(std::string_view text) {
  for (const char c : text) {
    if (c < 0x21 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

util::ErrorKind kind_of_status(long status) {
  if (status >= 500 || status == 429) {
    return util::ErrorKind::transient;
  }
  if (status == 401 || status == 403 || status == 404) {
    return util::ErrorKind::auth;
  }
  return util::ErrorKind::permanent;
}

// Sends `request`, reading at most k_imds_max_reply bytes of the reply.
util::Result<http::Response> send_bounded(http::Transport& transport, const http::Request& request,
                                          std::string_view step) {
  std::string body;
  bool too_large = false;
  const http::ResponseSink sink = [&](std::span<const std::byte> chunk) -> util::Result<void> {
    if (body.size() + chunk.size() > k_imds_max_reply) {
      too_large = true;
      return util::fail(util::ErrorKind::permanent, "reply too large");
    }
    body.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  };
  auto sent = transport.send(request, &sink);
  if (too_large || (sent && sent->body.size() > k_imds_max_reply)) {
    return util::fail(step_error(util::ErrorKind::permanent, step,
                                 fmt::format("the reply is larger than {} KiB", k_imds_max_reply / 1024)));
  }
  if (!sent) {
    return util::fail(sent.error().with_context(fmt::format("instance metadata service, {}", step)));
  }
  if (sent->body.empty()) {
    sent->body = std::move(body);
  }
  return sent;
}

// Step 1: the IMDSv2 token, or nullopt when the service does not hand out any.
util::Result<std::optional<std::string>> fetch_token(http::Transport& transport, std::string_view endpoint,
                                                     util::Logger& log) {
  http::Request request;
  request.method = "PUT";
  request.url = fmt::format("{}{}", endpoint, k_token_path);
  request.headers = {{std::string(k_token_ttl_header), std::string(k_token_ttl)}, {"Content-Length", "0"}};
  VOLBACK_TRY_ASSIGN(auto response, send_bounded(transport, request, "token"));
  if (response.status == 403 || response.status == 404 || response.status == 405) {
    log.debug("The instance metadata service hands out no IMDSv2 token; going on without (IMDSv1)",
              {{"status", response.status}});
    return std::optional<std::string>();
  }
  if (response.status != 200) {
    return util::fail(step_error(kind_of_status(response.status), "token", fmt::format("HTTP {}", response.status)));
  }
  if (response.body.empty() || response.body.size() > k_max_field || !header_safe(response.body)) {
    return util::fail(step_error(util::ErrorKind::permanent, "token", "the reply is not a token"));
  }
  return std::optional<std::string>(std::move(response.body));
}

util::Result<std::string> get(http::Transport& transport, std::string url, const std::optional<std::string>& token,
                              std::string_view step) {
  http::Request request;
  request.url = std::move(url);
  if (token) {
    request.headers.push_back({std::string(k_token_header), *token});
  }
  VOLBACK_TRY_ASSIGN(auto response, send_bounded(transport, request, step));
  if (response.status != 200) {
    std::string detail = fmt::format("HTTP {}", response.status);
    if (response.status == 404 && step == "role name") {
      detail += " (no IAM role is attached to the instance)";
    } else if (response.status == 401) {
      detail += token ? " (the IMDSv2 token was refused)" : " (the service requires IMDSv2 tokens)";
    }
    return util::fail(step_error(kind_of_status(response.status), step, detail));
  }
  return std::move(response.body);
}

// A string member of `doc` that must be present (when `required`), header-safe and short.
util::Result<std::string> string_field(const json& doc, const char* name, bool required) {
  const auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) {
    if (required) {
      return util::fail(step_error(util::ErrorKind::permanent, "credentials", fmt::format("no {} in the reply", name)));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return util::fail(
      step_error(util::ErrorKind::permanent, "credentials", fmt::format("{} in the reply is not a string", name)));
  }
  auto value = it->get<std::string>();
  if ((required && value.empty()) || value.size() > k_max_field || !header_safe(value)) {
    return util::fail(
      step_error(util::ErrorKind::permanent, "credentials",
                 fmt::format("{} in the reply is empty, too long or holds spaces or control characters", name)));
  }
  return value;
}

}  // namespace

util::Result<std::string> parse_role_name(std::string_view reply) {
  std::string_view line = reply.substr(0, reply.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return util::fail(step_error(util::ErrorKind::auth, "role name", "no IAM role is attached to the instance"));
  }
  const bool valid = line.size() <= k_max_role_name && std::all_of(line.begin(), line.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                              std::string_view("+=,.@_-").find(c) != std::string_view::npos;
                     });
  if (!valid) {
    return util::fail(
      step_error(util::ErrorKind::permanent, "role name", fmt::format("{} is not an IAM role name", shown(line))));
  }
  return std::string(line);
}

util::Result<RoleCredentials> parse_role_credentials(std::string_view reply) {
  const json doc = json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return util::fail(step_error(util::ErrorKind::permanent, "credentials", "the reply is not a JSON object"));
  }
  if (const auto code = doc.find("Code"); code != doc.end()) {
    if (!code->is_string()) {
      return util::fail(step_error(util::ErrorKind::permanent, "credentials", "Code in the reply is not a string"));
    }
    if (code->get_ref<const std::string&>() != "Success") {
      const auto message = doc.find("Message");
      const std::string text = message != doc.end() && message->is_string() ? message->get<std::string>() : "";
      return util::fail(step_error(
        util::ErrorKind::auth, "credentials",
        fmt::format("the service answered Code {}: {}", shown(code->get_ref<const std::string&>()), shown(text))));
    }
  }
  RoleCredentials out;
  VOLBACK_TRY_ASSIGN(out.credentials.access_key, string_field(doc, "AccessKeyId", true));
  VOLBACK_TRY_ASSIGN(out.credentials.secret_key, string_field(doc, "SecretAccessKey", true));
  VOLBACK_TRY_ASSIGN(out.credentials.session_token, string_field(doc, "Token", false));
  VOLBACK_TRY_ASSIGN(const auto expiration, string_field(doc, "Expiration", true));
  util::Result<util::TimePoint> time = util::fail(util::ErrorKind::corrupt, "too long");
  if (expiration.size() <= k_max_time) {
    time = util::parse_rfc3339(expiration);
  }
  if (!time) {
    return util::fail(step_error(util::ErrorKind::permanent, "credentials",
                                 fmt::format("Expiration {} is not an RFC 3339 time", shown(expiration))));
  }
  out.expiration = *time;
  return out;
}

util::Result<RoleCredentials> fetch_role_credentials(http::Transport& transport, std::string_view endpoint,
                                                     util::Logger& log) {
  VOLBACK_TRY_ASSIGN(const auto token, fetch_token(transport, endpoint, log));
  const std::string base = fmt::format("{}{}", endpoint, k_credentials_path);
  VOLBACK_TRY_ASSIGN(const auto listing, get(transport, base, token, "role name"));
  VOLBACK_TRY_ASSIGN(auto role, parse_role_name(listing));
  VOLBACK_TRY_ASSIGN(const auto reply, get(transport, base + role, token, "credentials"));
  VOLBACK_TRY_ASSIGN(auto out, parse_role_credentials(reply));
  out.role = std::move(role);
  return out;
}

}  // namespace volback::storage::s3
