// googlechat://chat.googleapis.com/v1/spaces/<space>/messages?key=<key>&token=<token>
// shoutrrr's googlechat (Hangouts Chat incoming webhooks): a JSON POST {"text"} to
// https://<host><path>?key=…&token=…. shoutrrr sends the message alone; volback puts the
// title on the first line, as for Mattermost, so the notification says what it is about.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class GoogleChatService final : public Service {
 public:
  std::string_view scheme() const override { return "googlechat"; }
  std::string describe() const override { return fmt::format("googlechat at {}", m_host); }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    nlohmann::ordered_json body;
    body["text"] = message.title.empty() ? message.body : message.title + "\n" + message.body;
    VOLBACK_TRY(http_call(
      context.http, json_post(m_url, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), describe()));
    return {};
  }

  std::string m_host;
  std::string m_url;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_googlechat(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"key", "token"}));
  auto service = std::make_unique<GoogleChatService>();
  service->m_host = url.raw_authority_host.empty() ? "chat.googleapis.com" : url.raw_authority_host;
  const auto key = url.param("key");
  const auto token = url.param("token");
  if (!key || key->empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook's key parameter");
  }
  if (!token || token->empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook's token parameter");
  }
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, "https://" + service->m_host));
  service->m_url = fmt::format("{}{}?key={}&token={}", origin, url.raw_path, query_escape(*key), query_escape(*token));
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
