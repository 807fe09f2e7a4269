// ntfy://[user[:password]@]host[:port]/topic?title=&priority=&tags=&actions=&click=&attach=
//   &filename=&delay=&email=&icon=&markdown=&cache=&firebase=&scheme=&disabletls=
//   &disabletlsverification=
// shoutrrr's ntfy: a POST of the message as the body to <scheme>://host/topic (https and
// ntfy.sh by default), the title and options as ntfy's headers (Title, Priority, Tags,
// Actions, Click, Attach, X-Icon, Filename, Email, Delay, Cache: no, Firebase: no), Basic
// authentication from the user info. Non-ASCII titles are RFC 2047 encoded, which ntfy
// decodes.

#include <fmt/format.h>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>
#include <volback/util/base64.hpp>

namespace volback::notify {

namespace {

class NtfyService final : public Service {
 public:
  std::string_view scheme() const override { return "ntfy"; }
  std::string describe() const override { return fmt::format("ntfy at {}", m_host); }
  bool verify_tls() const override { return m_verify_tls; }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    http::Request request{.method = "POST", .url = m_url, .body = message.body};
    request.headers.push_back({"Content-Type", m_markdown ? "text/markdown" : "text/plain; charset=utf-8"});
    const std::string title = message.title.empty() ? m_title : message.title;
    if (!title.empty()) {
      request.headers.push_back({"Title", encode_header_word(title)});
    }
    for (const auto& [name, value] : m_headers) {
      request.headers.push_back({name, value});
    }
    if (m_basic_auth) {
      request.headers.push_back({"Authorization", "Basic " + *m_basic_auth});
    }
    VOLBACK_TRY(http_call(context.http, request, describe()));
    return {};
  }

  std::string m_host;
  std::string m_url;
  std::string m_title;
  bool m_markdown = false;
  bool m_verify_tls = true;
  std::vector<std::pair<std::string, std::string>> m_headers;
  std::optional<std::string> m_basic_auth;
};

// ntfy's priority names and numbers.
std::optional<std::string> priority_name(std::string_view value) {
  const std::string lower = ascii_lower(value);
  if (lower == "1" || lower == "min") {
    return "Min";
  }
  if (lower == "2" || lower == "low") {
    return "Low";
  }
  if (lower == "3" || lower == "default" || lower.empty()) {
    return "Default";
  }
  if (lower == "4" || lower == "high") {
    return "High";
  }
  if (lower == "5" || lower == "max" || lower == "urgent") {
    return "Max";
  }
  return std::nullopt;
}

util::Result<bool> flag(const ServiceUrl& url, std::string_view key, bool fallback) {
  const auto value = url.param(key);
  if (!value) {
    return fallback;
  }
  const auto b = parse_shoutrrr_bool(*value);
  if (!b) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{} must be yes or no", key));
  }
  return *b;
}

}  // namespace

util::Result<std::unique_ptr<Service>> parse_ntfy(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(
    url, {"title", "priority", "tags", "actions", "click", "attach", "filename", "delay", "at", "in", "email", "icon",
          "markdown", "cache", "firebase", "scheme", "disabletls", "disabletlsverification"}));
  auto service = std::make_unique<NtfyService>();
  std::string topic = url.path;
  while (topic.starts_with('/')) {
    topic.erase(0, 1);
  }
  if (topic.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "topic is required (ntfy://host/topic)");
  }
  const std::string host = url.raw_authority_host.empty() ? "ntfy.sh" : url.raw_authority_host;
  service->m_host = host;
  std::string scheme = ascii_lower(url.param("scheme").value_or("https"));
  if (scheme != "https" && scheme != "http") {
    return util::fail(util::ErrorKind::invalid_argument, "scheme must be http or https");
  }
  VOLBACK_TRY_ASSIGN(const bool disable_tls, flag(url, "disabletls", false));
  if (disable_tls) {
    scheme = "http";
  }
  VOLBACK_TRY_ASSIGN(const bool skip_verify, flag(url, "disabletlsverification", false));
  service->m_verify_tls = !skip_verify;
  VOLBACK_TRY_ASSIGN(service->m_markdown, flag(url, "markdown", false));
  VOLBACK_TRY_ASSIGN(const bool cache, flag(url, "cache", true));
  VOLBACK_TRY_ASSIGN(const bool firebase, flag(url, "firebase", true));
  service->m_title = url.param("title").value_or("");
  const auto priority = priority_name(url.param("priority").value_or("default"));
  if (!priority) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "priority must be 1-5, min, low, default, high, max or urgent");
  }
  auto& h = service->m_headers;
  h.emplace_back("Priority", *priority);
  const auto add = [&h, &url](std::string_view key, std::string_view header) {
    if (const auto value = url.param(key); value && !value->empty()) {
      h.emplace_back(std::string(header), *value);
    }
  };
  add("tags", "Tags");
  for (const auto key : {"delay", "at", "in"}) {
    add(key, "Delay");
  }
  add("actions", "Actions");
  add("click", "Click");
  add("attach", "Attach");
  add("icon", "X-Icon");
  add("filename", "Filename");
  add("email", "Email");
  if (!cache) {
    h.emplace_back("Cache", "no");
  }
  if (!firebase) {
    h.emplace_back("Firebase", "no");
  }
  if (url.user || url.password) {
    service->m_basic_auth = util::base64_encode(url.user.value_or("") + ":" + url.password.value_or(""));
  }
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, fmt::format("{}://{}", scheme, host)));
  service->m_url = origin + "/" + http::url_encode(topic, http::Slash::keep);
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
