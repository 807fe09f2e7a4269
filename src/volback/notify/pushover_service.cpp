// pushover://shoutrrr:<API token>@<user key>/?devices=a,b&priority=&title=
// shoutrrr's pushover: a form POST (application/x-www-form-urlencoded) to
// https://api.pushover.net/1/messages.json with device, message, priority (-2 to 1),
// title, token and user. Pushover takes at most 1,024 characters of message and 250 of
// title: longer ones are cut (shoutrrr lets Pushover refuse them).

#include <charconv>

#include <fmt/format.h>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

class PushoverService final : public Service {
 public:
  std::string_view scheme() const override { return "pushover"; }
  std::string describe() const override { return "pushover"; }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    // In the order of Go's url.Values.Encode: sorted by key.
    std::string form = "device=" + query_escape(m_devices);
    form += "&message=" + query_escape(truncate_runes(message.body, 1024));
    if (m_priority >= -2 && m_priority <= 1) {
      form += fmt::format("&priority={}", m_priority);
    }
    const std::string title = message.title.empty() ? m_title : message.title;
    if (!title.empty()) {
      form += "&title=" + query_escape(truncate_runes(title, 250));
    }
    form += "&token=" + query_escape(m_token);
    form += "&user=" + query_escape(m_user);
    http::Request request{.method = "POST",
                          .url = m_url,
                          .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                          .body = std::move(form)};
    VOLBACK_TRY(http_call(context.http, request, describe()));
    return {};
  }

  std::string m_url;
  std::string m_token;
  std::string m_user;
  std::string m_devices;
  int m_priority = 0;
  std::string m_title;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_pushover(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"devices", "priority", "title"}));
  auto service = std::make_unique<PushoverService>();
  service->m_user = url.raw_authority_host;
  service->m_token = url.password.value_or("");
  if (service->m_user.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the user key (pushover://shoutrrr:token@userkey)");
  }
  if (service->m_token.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the API token (pushover://shoutrrr:token@userkey)");
  }
  service->m_devices = url.param("devices").value_or("");
  if (const auto priority = url.param("priority")) {
    const auto [end, ec] = std::from_chars(priority->data(), priority->data() + priority->size(), service->m_priority);
    if (ec != std::errc() || end != priority->data() + priority->size() || service->m_priority < -128 ||
        service->m_priority > 127) {
      return util::fail(util::ErrorKind::invalid_argument, "priority must be an integer from -2 to 2");
    }
  }
  service->m_title = url.param("title").value_or("");
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, "https://api.pushover.net"));
  service->m_url = origin + "/1/messages.json";
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
