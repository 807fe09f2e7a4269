#include <volback/notify/http_call.hpp>

#include <fmt/format.h>

#include <volback/util/base64.hpp>
#include <volback/util/terminal_text.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

util::ErrorKind kind_of_status(long status) {
  if (status == 429 || status >= 500) {
    return util::ErrorKind::transient;
  }
  if (status == 401 || status == 403) {
    return util::ErrorKind::auth;
  }
  return util::ErrorKind::permanent;
}

}  // namespace

util::Result<std::string> api_origin(const ServiceUrl& url, std::string_view default_origin) {
  const auto override = url.param(k_api_override_param);
  if (!override) {
    return std::string(default_origin);
  }
  VOLBACK_TRY_ASSIGN(const auto parsed, parse_service_url(*override));
  if ((parsed.scheme != "http" && parsed.scheme != "https") || parsed.host.empty() ||
      !(parsed.path.empty() || parsed.path == "/") || !parsed.raw_query.empty() || parsed.user) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{} must be http(s)://host[:port], without a path", k_api_override_param));
  }
  return fmt::format("{}://{}", parsed.scheme, parsed.raw_authority_host);
}

std::vector<std::pair<std::string, std::string>> service_params(const ServiceUrl& url) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& param : url.query) {
    if (ascii_lower(param.first) != k_api_override_param) {
      out.push_back(param);
    }
  }
  return out;
}

util::Result<void> check_params(const ServiceUrl& url, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : service_params(url)) {
    const std::string lower = ascii_lower(key);
    bool found = false;
    for (const auto k : known) {
      found = found || lower == k;
    }
    if (!found) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("unknown query parameter {:?}", util::escape_for_terminal(key)));
    }
  }
  return {};
}

util::Result<http::Response> http_call(http::Transport& transport, const http::Request& request,
                                       std::string_view what) {
  auto response = transport.send(request);
  if (!response) {
    // The transport's message names the URL, whose path may be the secret (a webhook's
    // token): keep only libcurl's reason, after the last ": ".
    const std::string& message = response.error().message();
    const auto colon = message.rfind(": ");
    const std::string reason = colon == std::string::npos ? message : message.substr(colon + 2);
    return util::fail(response.error().kind(), fmt::format("sending to {} failed: {}", what, reason));
  }
  if (response->status >= 200 && response->status < 300) {
    return std::move(*response);
  }
  std::string reply = truncate_runes(response->body, 200);
  for (auto& c : reply) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return util::fail(kind_of_status(response->status),
                    fmt::format("{} answered HTTP {}{}", what, response->status,
                                reply.empty() ? "" : ": " + util::escape_for_terminal(reply)));
}

http::Request json_post(std::string url, std::string body, std::vector<http::Header> headers) {
  http::Request request{.method = "POST", .url = std::move(url), .headers = std::move(headers)};
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  return request;
}

std::string query_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string encode_header_word(std::string_view text) {
  bool ascii = true;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    ascii = ascii && u >= 0x20 && u < 0x7f;
  }
  if (ascii) {
    return std::string(text);
  }
  return "=?UTF-8?B?" + util::base64_encode(text) + "?=";
}

std::string truncate_runes(std::string_view text, std::size_t max_runes) {
  std::size_t i = 0;
  std::size_t runes = 0;
  while (i < text.size() && runes < max_runes) {
    i += util::decode_utf8(text.substr(i)).width;
    ++runes;
  }
  if (i >= text.size()) {
    return std::string(text);
  }
  // Room for the ellipsis.
  std::size_t cut = 0;
  std::size_t kept = 0;
  while (cut < text.size() && kept + 1 < max_runes) {
    cut += util::decode_utf8(text.substr(cut)).width;
    ++kept;
  }
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace volback::notify
