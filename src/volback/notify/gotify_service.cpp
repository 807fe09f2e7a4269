// gotify://host[:port][/path]/token?title=&priority=&disabletls=&insecureskipverify=
//   &useheader=&date=&extras=
// shoutrrr's gotify: a JSON POST {"message", "title", "priority", "extras"} to
// https://host[/path]/message?token=<token> (http with disabletls=yes; the token in the
// X-Gotify-Key header instead with useheader=yes). The token is a Gotify application
// token: 15 characters starting with 'A', or Gotify 3's "gtfy?." form.

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class GotifyService final : public Service {
 public:
  std::string_view scheme() const override { return "gotify"; }
  std::string describe() const override { return fmt::format("gotify at {}", m_host); }
  bool verify_tls() const override { return m_verify_tls; }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    nlohmann::ordered_json body;
    body["message"] = message.body;
    body["title"] = message.title.empty() ? m_title : message.title;
    body["priority"] = m_priority;
    if (m_date) {
      body["date"] = *m_date;
    }
    body["extras"] = m_extras;
    std::vector<http::Header> headers;
    std::string url = m_url;
    if (m_use_header) {
      headers.push_back({"X-Gotify-Key", m_token});
    } else {
      url += "?token=" + query_escape(m_token);
    }
    VOLBACK_TRY(http_call(context.http,
                          json_post(url, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), headers),
                          describe()));
    return {};
  }

  std::string m_host;
  std::string m_url;
  std::string m_token;
  std::string m_title = "Shoutrrr notification";
  int m_priority = 0;
  std::optional<std::string> m_date;
  nlohmann::json m_extras;  // null unless given
  bool m_use_header = false;
  bool m_verify_tls = true;
};

bool valid_token(std::string_view token) {
  if (token.size() >= 6 && token.starts_with("gtfy") && token[4] != '.' && token[5] == '.') {
    return token.size() >= 10;
  }
  if (token.size() != 15 || token[0] != 'A') {
    return false;
  }
  for (const char c : token) {
    const bool ok =
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

util::Result<bool> flag(const ServiceUrl& url, std::string_view key) {
  const auto value = url.param(key);
  if (!value) {
    return false;
  }
  const auto b = parse_shoutrrr_bool(*value);
  if (!b) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{} must be yes or no", key));
  }
  return *b;
}

}  // namespace

util::Result<std::unique_ptr<Service>> parse_gotify(const ServiceUrl& url) {
  VOLBACK_TRY(
    check_params(url, {"title", "priority", "disabletls", "insecureskipverify", "useheader", "date", "extras"}));
  if (url.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the server's host");
  }
  auto service = std::make_unique<GotifyService>();
  service->m_host = url.raw_authority_host;
  std::string path = url.path;
  if (path.ends_with('/')) {
    path.pop_back();
  }
  const auto slash = path.rfind('/');
  service->m_token = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string prefix = slash == std::string::npos ? "" : path.substr(0, slash);
  if (!valid_token(service->m_token)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "invalid application token (15 characters starting with 'A', or gtfy?.…)");
  }
  if (const auto title = url.param("title")) {
    service->m_title = *title;
  }
  if (const auto priority = url.param("priority")) {
    const auto [end, ec] = std::from_chars(priority->data(), priority->data() + priority->size(), service->m_priority);
    if (ec != std::errc() || end != priority->data() + priority->size()) {
      return util::fail(util::ErrorKind::invalid_argument, "priority must be an integer");
    }
  }
  if (const auto date = url.param("date"); date && !date->empty()) {
    service->m_date = *date;
  }
  if (const auto extras = url.param("extras"); extras && !extras->empty()) {
    auto parsed = nlohmann::json::parse(*extras, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return util::fail(util::ErrorKind::invalid_argument, "extras must be a JSON object");
    }
    service->m_extras = std::move(parsed);
  }
  VOLBACK_TRY_ASSIGN(const bool disable_tls, flag(url, "disabletls"));
  VOLBACK_TRY_ASSIGN(const bool skip_verify, flag(url, "insecureskipverify"));
  VOLBACK_TRY_ASSIGN(service->m_use_header, flag(url, "useheader"));
  service->m_verify_tls = !skip_verify;
  VOLBACK_TRY_ASSIGN(const auto origin,
                     api_origin(url, fmt::format("{}://{}", disable_tls ? "http" : "https", url.raw_authority_host)));
  service->m_url = origin + http::url_encode(prefix, http::Slash::keep) + "/message";
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
