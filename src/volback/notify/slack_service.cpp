// slack://hook:<t1>-<t2>-<t3>@webhook?…  (incoming webhook: hooks.slack.com/services/t1/t2/t3)
// slack://xoxb:<token>@<channel>?…       (bot token: chat.postMessage to the channel)
// Parameters: botname (username), icon (an emoji, or a URL), color, title, thread_ts.
// shoutrrr's slack: a JSON POST {"text": title, "username", "attachments": one per line
// of the message (at most 100, the rest joined into the last), "thread_ts", "channel",
// "icon_emoji"/"icon_url"}; the API form sends "Authorization: Bearer xoxb-…" and checks
// the reply's "ok"; the webhook form expects the reply "ok".

#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class SlackService final : public Service {
 public:
  std::string_view scheme() const override { return "slack"; }
  std::string describe() const override {
    return m_api ? fmt::format("slack channel {}", m_channel) : std::string("slack webhook");
  }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    const std::string body = payload(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (m_api) {
      VOLBACK_TRY_ASSIGN(const auto response,
                         http_call(context.http,
                                   json_post(m_origin + "/api/chat.postMessage", body,
                                             {{"Authorization", "Bearer " + m_token_type + "-" + m_token}}),
                                   describe()));
      const auto reply = nlohmann::json::parse(response.body, nullptr, false);
      if (reply.is_discarded() || !reply.is_object() || !reply.value("ok", false)) {
        const std::string error =
          reply.is_object() ? reply.value("error", std::string("unknown error")) : "no JSON reply";
        return util::fail(util::ErrorKind::permanent, fmt::format("{} refused the message: {}", describe(), error));
      }
      return {};
    }
    VOLBACK_TRY_ASSIGN(const auto response,
                       http_call(context.http, json_post(m_origin + "/services/" + m_webhook_path, body), describe()));
    if (!response.body.empty() && response.body != "ok") {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("{} refused the message: {}", describe(), truncate_runes(response.body, 200)));
    }
    return {};
  }

  nlohmann::ordered_json payload(const Message& message) const {
    nlohmann::ordered_json p;
    p["text"] = message.title.empty() ? m_title : message.title;
    if (!m_bot_name.empty()) {
      p["username"] = m_bot_name;
    }
    nlohmann::ordered_json attachments = nlohmann::json::array();
    std::vector<std::string> lines = split_lines(message.body);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i >= 100) {
        attachments.back()["text"] = attachments.back()["text"].get<std::string>() + "\n" + lines[i];
        continue;
      }
      nlohmann::ordered_json a;
      a["text"] = lines[i];
      if (!m_color.empty()) {
        a["color"] = m_color;
      }
      attachments.push_back(std::move(a));
    }
    if (!attachments.empty() && attachments.back()["text"].get<std::string>().empty()) {
      attachments.erase(attachments.size() - 1);
    }
    if (!attachments.empty()) {
      p["attachments"] = std::move(attachments);
    }
    if (!m_thread_ts.empty()) {
      p["thread_ts"] = m_thread_ts;
    }
    if (m_api) {
      p["channel"] = m_channel;
    }
    if (!m_icon.empty()) {
      const bool is_url = m_icon.find("http://") != std::string::npos || m_icon.find("https://") != std::string::npos;
      p[is_url ? "icon_url" : "icon_emoji"] = m_icon;
    }
    return p;
  }

  static std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (true) {
      const auto nl = text.find('\n');
      lines.emplace_back(text.substr(0, nl));
      if (nl == std::string_view::npos) {
        return lines;
      }
      text.remove_prefix(nl + 1);
    }
  }

  bool m_api = false;
  std::string m_origin;
  std::string m_token_type;    // hook, xoxb, xoxp
  std::string m_token;         // p1-p2-p3
  std::string m_webhook_path;  // p1/p2/p3
  std::string m_channel;
  std::string m_bot_name;
  std::string m_icon;
  std::string m_color;
  std::string m_title;
  std::string m_thread_ts;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_slack(const ServiceUrl& url) {
  VOLBACK_TRY(
    check_params(url, {"botname", "username", "icon", "icon_emoji", "icon_url", "color", "title", "thread_ts"}));
  auto service = std::make_unique<SlackService>();
  std::string token;
  if (url.path.size() > 1) {
    // The old form: slack://[botname@]t1/t2/t3.
    token = url.host + url.path;
    service->m_channel = "webhook";
    service->m_bot_name = url.user.value_or("");
  } else {
    token = url.user.value_or("") + (url.password ? ":" + *url.password : "");
    service->m_channel = url.host;
  }
  static const std::regex k_token("(?:(xox.|hook)[-:]|:?)([A-Z0-9]{9,})([-/,])([A-Z0-9]{9,})([-/,])([A-Za-z0-9]{24,})");
  std::smatch match;
  if (!std::regex_search(token, match, k_token)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "invalid token (expected hook:t1-t2-t3@webhook or xoxb:token@channel)");
  }
  if (match[3] != match[5]) {
    return util::fail(util::ErrorKind::invalid_argument, "the token's separators do not match");
  }
  service->m_token_type = match[1].matched ? match[1].str() : "hook";
  service->m_token = match[2].str() + "-" + match[4].str() + "-" + match[6].str();
  service->m_webhook_path = match[2].str() + "/" + match[4].str() + "/" + match[6].str();
  service->m_api = service->m_token_type != "hook";
  if (service->m_api && (service->m_channel.empty() || service->m_channel == "webhook")) {
    return util::fail(util::ErrorKind::invalid_argument, "a bot token needs a channel (xoxb:token@C0123456789)");
  }
  for (const auto key : {"botname", "username"}) {
    if (const auto v = url.param(key)) {
      service->m_bot_name = *v;
    }
  }
  for (const auto key : {"icon", "icon_emoji", "icon_url"}) {
    if (const auto v = url.param(key)) {
      service->m_icon = *v;
    }
  }
  service->m_color = url.param("color").value_or("");
  service->m_title = url.param("title").value_or("");
  service->m_thread_ts = url.param("thread_ts").value_or("");
  VOLBACK_TRY_ASSIGN(service->m_origin,
                     api_origin(url, service->m_api ? "https://slack.com" : "https://hooks.slack.com"));
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
