// generic:// and generic+http(s):// — shoutrrr's generic webhook: a POST (or `method`) of
// the message to any URL. Without `template` the body is the message alone, as text/plain;
// with template=json it is a JSON object of the title (key `titlekey`, default "title"),
// the message (`messagekey`, "message") and every "$key=value" parameter. "@name=value"
// parameters become headers (acceptLanguage → Accept-Language); `contenttype` sets the
// Content-Type of JSON bodies. Parameters that are not shoutrrr's go on to the webhook's
// own query; "_contenttype" etc. pass a reserved name on. generic:// is https unless
// disabletls=yes; generic+http:// and generic+https:// say it in the scheme. User info
// becomes Basic authentication.

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>
#include <volback/util/base64.hpp>

namespace volback::notify {

namespace {

// shoutrrr's normalizedHeaderKey: "acceptLanguage" → "Accept-Language", "x-custom" →
// "X-Custom".
std::string header_name(std::string_view key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0 && key[i - 1] != '-') {
        out += '-';
      }
    } else if ((i == 0 || key[i - 1] == '-') && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    out += c;
  }
  return out;
}

class GenericService final : public Service {
 public:
  std::string_view scheme() const override { return "generic"; }
  std::string describe() const override { return fmt::format("generic webhook at {}", m_host); }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    http::Request request{.method = m_method, .url = m_url};
    std::string content_type = m_content_type;
    if (m_json) {
      nlohmann::json body = nlohmann::json::object();
      body[m_title_key] = message.title;
      body[m_message_key] = message.body;
      for (const auto& [key, value] : m_extra) {
        body[key] = value;  // extra data wins, as shoutrrr copies it over the parameters
      }
      request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      content_type = "text/plain";
      request.body = message.body;
    }
    request.headers.push_back({"Content-Type", content_type});
    request.headers.push_back({"Accept", content_type});
    if (m_basic_auth) {
      request.headers.push_back({"Authorization", "Basic " + *m_basic_auth});
    }
    for (const auto& [name, value] : m_headers) {
      request.headers.push_back({name, value});
    }
    VOLBACK_TRY(http_call(context.http, request, describe()));
    return {};
  }

  std::string m_host;
  std::string m_url;
  std::string m_method = "POST";
  std::string m_content_type = "application/json";
  bool m_json = false;
  std::string m_title_key = "title";
  std::string m_message_key = "message";
  std::map<std::string, std::string> m_extra;
  std::vector<std::pair<std::string, std::string>> m_headers;
  std::optional<std::string> m_basic_auth;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_generic(const ServiceUrl& url) {
  auto service = std::make_unique<GenericService>();
  if (url.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the webhook's host");
  }
  service->m_host = url.raw_authority_host;
  bool disable_tls = url.scheme == "generic+http";
  // shoutrrr's own keys match exactly in lower case; everything else goes to the webhook.
  static constexpr std::string_view k_keys[] = {"contenttype", "disabletls", "template", "title",
                                                "titlekey",    "messagekey", "method"};
  std::map<std::string, std::string> forwarded;
  for (const auto& [key, value] : service_params(url)) {
    if (key.size() > 1 && key[0] == '@') {
      service->m_headers.emplace_back(header_name(key.substr(1)), value);
      continue;
    }
    if (key.size() > 1 && key[0] == '$') {
      service->m_extra[key.substr(1)] = value;
      continue;
    }
    if (std::find(std::begin(k_keys), std::end(k_keys), key) == std::end(k_keys)) {
      // "_contenttype" passes "contenttype" on.
      const bool escaped = key.size() > 1 && key[0] == '_' &&
                           std::find(std::begin(k_keys), std::end(k_keys), key.substr(1)) != std::end(k_keys);
      forwarded[escaped ? key.substr(1) : key] = value;
      continue;
    }
    if (key == "contenttype") {
      service->m_content_type = value;
    } else if (key == "disabletls") {
      const auto b = parse_shoutrrr_bool(value);
      if (!b) {
        return util::fail(util::ErrorKind::invalid_argument, "disabletls must be yes or no");
      }
      disable_tls = *b;
    } else if (key == "template") {
      if (ascii_lower(value) != "json") {
        return util::fail(util::ErrorKind::invalid_argument,
                          "only template=json is available (shoutrrr's other templates are not loaded from URLs)");
      }
      service->m_json = true;
    } else if (key == "titlekey") {
      service->m_title_key = value;
    } else if (key == "messagekey") {
      service->m_message_key = value;
    } else if (key == "method") {
      service->m_method = value;
    }
  }
  if (url.user) {
    service->m_basic_auth = util::base64_encode(*url.user + ":" + url.password.value_or(""));
  }
  VOLBACK_TRY_ASSIGN(const auto origin,
                     api_origin(url, fmt::format("{}://{}", disable_tls ? "http" : "https", url.raw_authority_host)));
  std::string query;
  for (const auto& [key, value] : forwarded) {
    query += query.empty() ? "?" : "&";
    query += query_escape(key) + "=" + query_escape(value);
  }
  service->m_url = origin + url.raw_path + query;
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
