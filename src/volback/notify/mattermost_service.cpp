// mattermost://[username@]host[:port]/<webhook token>[/channel]?icon=&title=&disabletls=
// shoutrrr's mattermost: a JSON POST {"text": title + "\n" + message, "username",
// "channel", "icon_emoji"/"icon_url"} to https://host/hooks/<token> (http with
// disabletls=yes); Mattermost answers 200.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class MattermostService final : public Service {
 public:
  std::string_view scheme() const override { return "mattermost"; }
  std::string describe() const override { return fmt::format("mattermost at {}", m_host); }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    const std::string title = message.title.empty() ? m_title : message.title;
    nlohmann::ordered_json body;
    body["text"] = title.empty() ? message.body : title + "\n" + message.body;
    if (!m_username.empty()) {
      body["username"] = m_username;
    }
    if (!m_channel.empty()) {
      body["channel"] = m_channel;
    }
    if (!m_icon.empty()) {
      const std::string lower = ascii_lower(m_icon);
      const bool is_url = lower.starts_with("http://") || lower.starts_with("https://");
      body[is_url ? "icon_url" : "icon_emoji"] = m_icon;
    }
    VOLBACK_TRY(http_call(
      context.http, json_post(m_url, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), describe()));
    return {};
  }

  std::string m_host;
  std::string m_url;
  std::string m_username;
  std::string m_channel;
  std::string m_icon;
  std::string m_title;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_mattermost(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"icon", "icon_emoji", "icon_url", "title", "disabletls"}));
  if (url.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the server's host");
  }
  auto service = std::make_unique<MattermostService>();
  service->m_host = url.raw_authority_host;
  service->m_username = url.user.value_or("");
  const auto parts = split_list(url.path, '/');
  if (parts.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook token (mattermost://host/token)");
  }
  const std::string token = parts[0];
  if (parts.size() > 1) {
    service->m_channel = parts[1];
  }
  for (const auto key : {"icon", "icon_emoji", "icon_url"}) {
    if (const auto v = url.param(key)) {
      service->m_icon = *v;
    }
  }
  service->m_title = url.param("title").value_or("");
  bool disable_tls = false;
  if (const auto v = url.param("disabletls")) {
    const auto b = parse_shoutrrr_bool(*v);
    if (!b) {
      return util::fail(util::ErrorKind::invalid_argument, "disabletls must be yes or no");
    }
    disable_tls = *b;
  }
  VOLBACK_TRY_ASSIGN(const auto origin,
                     api_origin(url, fmt::format("{}://{}", disable_tls ? "http" : "https", url.raw_authority_host)));
  service->m_url = origin + "/hooks/" + http::url_encode(token, http::Slash::encode);
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
