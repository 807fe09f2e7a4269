// telegram://<bot token>@telegram?chats=<id>[,@channel,<id>:<thread>]&preview=&notification=
//   &parsemode=&title=
// shoutrrr's telegram: one JSON POST per chat to
// https://api.telegram.org/bot<token>/sendMessage {"text", "chat_id",
// "message_thread_id" (for "chat:thread"), "parse_mode", "disable_web_page_preview",
// "disable_notification"}. With a title and no parse mode the text is HTML:
// "<b>title</b>\n" then the escaped message. Telegram takes at most 4,096 characters:
// longer texts are cut (shoutrrr lets Telegram refuse them).

#include <charconv>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/html_escape.hpp>
#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class TelegramService final : public Service {
 public:
  std::string_view scheme() const override { return "telegram"; }
  std::string describe() const override { return fmt::format("telegram ({} chats)", m_chats.size()); }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    const std::string title = message.title.empty() ? m_title : message.title;
    std::string text = message.body;
    std::string parse_mode = m_parse_mode;
    if (parse_mode.empty() && !title.empty()) {
      parse_mode = "HTML";
      text = html_escape(text);
    }
    if (parse_mode == "HTML") {
      text = fmt::format("<b>{}</b>\n{}", html_escape(title), text);
    }
    text = truncate_runes(text, 4096);
    for (const auto& chat : m_chats) {
      nlohmann::ordered_json body;
      body["text"] = text;
      const auto colon = chat.find(':');
      body["chat_id"] = chat.substr(0, colon);
      if (colon != std::string::npos) {
        int thread = 0;
        const std::string_view t = std::string_view(chat).substr(colon + 1);
        if (std::from_chars(t.data(), t.data() + t.size(), thread).ec == std::errc()) {
          body["message_thread_id"] = thread;
        }
      }
      if (!parse_mode.empty()) {
        body["parse_mode"] = parse_mode;
      }
      body["disable_web_page_preview"] = !m_preview;
      body["disable_notification"] = !m_notification;
      body["reply_to_message_id"] = 0;
      VOLBACK_TRY(http_call(context.http,
                            json_post(m_url, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
                            describe()));
    }
    return {};
  }

  std::string m_url;
  std::vector<std::string> m_chats;
  bool m_preview = true;
  bool m_notification = true;
  std::string m_parse_mode;  // "", Markdown, HTML, MarkdownV2
  std::string m_title;
};

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

util::Result<std::unique_ptr<Service>> parse_telegram(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"preview", "notification", "parsemode", "chats", "channels", "title"}));
  auto service = std::make_unique<TelegramService>();
  const std::string token = url.user.value_or("") + ":" + url.password.value_or("");
  static const std::regex k_token("^[0-9]+:[a-zA-Z0-9_-]+$");
  if (!std::regex_match(token, k_token)) {
    return util::fail(util::ErrorKind::invalid_argument, "invalid bot token (telegram://<id>:<secret>@telegram)");
  }
  for (const auto key : {"chats", "channels"}) {
    if (const auto v = url.param(key)) {
      service->m_chats = split_list(*v);
    }
  }
  if (service->m_chats.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "no chats defined (?chats=<id>,@channel)");
  }
  VOLBACK_TRY_ASSIGN(service->m_preview, flag(url, "preview", true));
  VOLBACK_TRY_ASSIGN(service->m_notification, flag(url, "notification", true));
  if (const auto mode = url.param("parsemode")) {
    const std::string lower = ascii_lower(*mode);
    if (lower == "none" || lower.empty()) {
      service->m_parse_mode.clear();
    } else if (lower == "markdown") {
      service->m_parse_mode = "Markdown";
    } else if (lower == "html") {
      service->m_parse_mode = "HTML";
    } else if (lower == "markdownv2") {
      service->m_parse_mode = "MarkdownV2";
    } else {
      return util::fail(util::ErrorKind::invalid_argument, "parsemode must be None, Markdown, HTML or MarkdownV2");
    }
  }
  service->m_title = url.param("title").value_or("");
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, "https://api.telegram.org"));
  service->m_url = fmt::format("{}/bot{}/sendMessage", origin, token);
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
