// teams://?host=<Power Automate workflow URL, percent-encoded>&title=&color=
// shoutrrr's teams (Office 365 connectors are retired): a JSON POST of an Adaptive Card
// to the workflow URL: {"type": "message", "attachments": [{"contentType":
// "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": {"$schema",
// "type": "AdaptiveCard", "version": "1.2", "body": [the title as a bold TextBlock, then
// one wrapping TextBlock per non-blank line]}}]}. The workflow URL must be a
// *.logic.azure.com or *.environment.api.powerplatform.com workflow address; it carries
// its signature, so it is never shown.

#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

std::string color_name(std::string_view color) {
  const std::string c = ascii_lower(color);
  if (c == "red" || c == "attention" || c == "danger") {
    return "attention";
  }
  if (c == "orange" || c == "yellow" || c == "warning" || c == "warn") {
    return "warning";
  }
  if (c == "green" || c == "good" || c == "success") {
    return "good";
  }
  if (c == "blue" || c == "accent") {
    return "accent";
  }
  if (c == "dark" || c == "light") {
    return c;
  }
  return "default";
}

class TeamsService final : public Service {
 public:
  std::string_view scheme() const override { return "teams"; }
  std::string describe() const override { return "teams workflow"; }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    nlohmann::ordered_json body = nlohmann::json::array();
    const std::string title = message.title.empty() ? m_title : message.title;
    if (!title.empty()) {
      nlohmann::ordered_json block;
      block["type"] = "TextBlock";
      block["text"] = title;
      block["color"] = color_name(m_color);
      block["weight"] = "Bolder";
      block["size"] = "Medium";
      body.push_back(std::move(block));
    }
    for (const auto& line : split_list(message.body, '\n')) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) {
        continue;
      }
      nlohmann::ordered_json block;
      block["type"] = "TextBlock";
      block["text"] = line;
      block["wrap"] = true;
      body.push_back(std::move(block));
    }
    nlohmann::ordered_json content;
    content["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json";
    content["type"] = "AdaptiveCard";
    content["version"] = "1.2";
    content["body"] = std::move(body);
    nlohmann::ordered_json attachment;
    attachment["contentType"] = "application/vnd.microsoft.card.adaptive";
    attachment["contentUrl"] = nullptr;
    attachment["content"] = std::move(content);
    nlohmann::ordered_json payload;
    payload["type"] = "message";
    payload["attachments"] = nlohmann::json::array({std::move(attachment)});
    VOLBACK_TRY(http_call(context.http,
                          json_post(m_url, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
                          describe()));
    return {};
  }

  std::string m_url;
  std::string m_title;
  std::string m_color;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_teams(const ServiceUrl& url) {
  auto service = std::make_unique<TeamsService>();
  const auto host = url.param("host");
  if (!host || host->empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "missing host=<workflow URL> (Office 365 connector URLs are retired)");
  }
  static const std::regex k_workflow(
    "^https://[a-zA-Z0-9][a-zA-Z0-9.-]*\\.logic\\.azure(?:\\.[a-z]{2,})?(:\\d+)?/"
    "(?:powerautomate/automations/direct/(?:[A-Za-z0-9-]+/)*)?workflows/|"
    "^https://[a-zA-Z0-9][a-zA-Z0-9.-]*\\.environment\\.api\\.powerplatform\\.com(:\\d+)?/powerautomate/"
    "automations/direct/(?:[A-Za-z0-9-]+/)*workflows/");
  if (!std::regex_search(*host, k_workflow)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "host must be a Power Automate workflow URL (https://….logic.azure.com/workflows/…)");
  }
  service->m_title = url.param("title").value_or("");
  service->m_color = url.param("color").value_or("");
  // The workflow's path and query, after its origin.
  const std::string_view workflow = *host;
  const auto path_start = workflow.find('/', std::string_view("https://").size());
  VOLBACK_TRY_ASSIGN(const auto origin, api_origin(url, workflow.substr(0, path_start)));
  service->m_url = origin + std::string(workflow.substr(path_start));
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
