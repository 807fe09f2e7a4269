// discord://<token>@<webhook id>[/raw]?title=&username=&avatar=&color=&splitLines=&thread_id=
// shoutrrr's discord: JSON POSTs to https://discord.com/api/webhooks/<id>/<token>
// (?thread_id= when given). With splitLines=yes (the default) each non-empty line of the
// message is one embed (description, the color's decimal value; lines cut at 2,000
// characters), ten embeds and at most 6,000 characters per POST, the title on the first
// embed of each; with splitLines=no the message is cut into 2,000-character embeds at
// word boundaries. "username" and "avatar_url" go with each POST. The /raw form posts
// the message itself as the JSON body.

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

constexpr std::size_t k_chunk_runes = 2000;
constexpr std::size_t k_total_runes = 6000;
constexpr std::size_t k_embeds_per_message = 10;

// The message as embed texts: its non-empty lines, or chunks cut at whitespace.
std::vector<std::string> embed_texts(std::string_view text, bool split_lines) {
  std::vector<std::string> out;
  if (split_lines) {
    for (const auto& line : split_list(text, '\n')) {
      if (util::utf8_rune_count(line) > k_chunk_runes) {
        out.push_back(truncate_runes(line, k_chunk_runes));
      } else {
        out.push_back(line);
      }
    }
    return out;
  }
  while (!text.empty()) {
    // Up to k_chunk_runes characters, back to the last space or newline within 100.
    std::size_t end = 0;
    std::size_t runes = 0;
    while (end < text.size() && runes < k_chunk_runes) {
      end += util::decode_utf8(text.substr(end)).width;
      ++runes;
    }
    std::size_t next = end;
    if (end < text.size()) {
      for (std::size_t back = 0; back < 100 && back < end; ++back) {
        const char c = text[end - back];
        if (c == ' ' || c == '\n') {
          end -= back;
          next = end + 1;
          break;
        }
      }
    }
    out.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(next, text.size()));
  }
  return out;
}

class DiscordService final : public Service {
 public:
  std::string_view scheme() const override { return "discord"; }
  std::string describe() const override { return "discord webhook"; }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    if (m_raw) {
      VOLBACK_TRY(http_call(context.http, json_post(m_url, message.body, {{"User-Agent", "volback"}}), describe()));
      return {};
    }
    const std::string title = message.title.empty() ? m_title : message.title;
    const auto texts = embed_texts(message.body, m_split_lines);
    if (texts.empty()) {
      return util::fail(util::ErrorKind::permanent, "discord: the message is empty");
    }
    std::size_t i = 0;
    while (i < texts.size()) {
      nlohmann::ordered_json embeds = nlohmann::json::array();
      std::size_t total = 0;
      while (i < texts.size() && embeds.size() < k_embeds_per_message) {
        const std::size_t runes = util::utf8_rune_count(texts[i]);
        if (!embeds.empty() && total + runes > k_total_runes) {
          break;
        }
        nlohmann::ordered_json embed;
        if (embeds.empty() && !title.empty()) {
          embed["title"] = title;
        }
        embed["description"] = texts[i];
        embed["color"] = m_color;
        embeds.push_back(std::move(embed));
        total += runes;
        ++i;
      }
      nlohmann::ordered_json payload;
      payload["embeds"] = std::move(embeds);
      if (!m_username.empty()) {
        payload["username"] = m_username;
      }
      if (!m_avatar.empty()) {
        payload["avatar_url"] = m_avatar;
      }
      VOLBACK_TRY(http_call(context.http,
                            json_post(m_url, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                      {{"User-Agent", "volback"}}),
                            describe()));
    }
    return {};
  }

  std::string m_url;
  bool m_raw = false;
  bool m_split_lines = true;
  std::string m_title;
  std::string m_username;
  std::string m_avatar;
  std::uint32_t m_color = 0x50D9FF;
};

util::Result<std::uint32_t> parse_color(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
  } else if (text.starts_with('#')) {
    text.remove_prefix(1);
  }
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "color must be a hexadecimal number (0x50D9ff)");
  }
  return value;
}

}  // namespace

util::Result<std::unique_ptr<Service>> parse_discord(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"title", "username", "avatar", "avatarurl", "color", "colorerror", "colorwarn",
                                 "colorinfo", "colordebug", "splitlines", "json", "thread_id"}));
  auto service = std::make_unique<DiscordService>();
  if (url.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook id (discord://token@id)");
  }
  const std::string token = url.user.value_or("");
  if (token.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook token (discord://token@id)");
  }
  if (!url.path.empty() && url.path != "/raw") {
    return util::fail(util::ErrorKind::invalid_argument, "the only path allowed is /raw");
  }
  service->m_raw = url.path == "/raw";
  if (const auto json = url.param("json")) {
    const auto b = parse_shoutrrr_bool(*json);
    if (!b) {
      return util::fail(util::ErrorKind::invalid_argument, "json must be yes or no");
    }
    service->m_raw = service->m_raw || *b;
  }
  if (const auto split = url.param("splitlines")) {
    const auto b = parse_shoutrrr_bool(*split);
    if (!b) {
      return util::fail(util::ErrorKind::invalid_argument, "splitLines must be yes or no");
    }
    service->m_split_lines = *b;
  }
  service->m_title = url.param("title").value_or("");
  service->m_username = url.param("username").value_or("");
  for (const auto key : {"avatar", "avatarurl"}) {
    if (const auto v = url.param(key)) {
      service->m_avatar = *v;
    }
  }
  if (const auto color = url.param("color")) {
    VOLBACK_TRY_ASSIGN(service->m_color, parse_color(*color));
  }
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, "https://discord.com"));
  service->m_url = fmt::format("{}/api/webhooks/{}/{}", origin, http::url_encode(url.host, http::Slash::encode),
                               http::url_encode(token, http::Slash::encode));
  if (const auto thread = url.param("thread_id"); thread && !thread->empty()) {
    service->m_url += "?thread_id=" + query_escape(*thread);
  }
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
