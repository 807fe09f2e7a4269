#pragma once
// What the HTTP services share: the API origin (scheme://host[:port]) with volback's
// test override, and one request whose HTTP status is classified.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/http/transport.hpp>
#include <volback/notify/service_url.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// The query parameter that points a service at another origin than its API's, for tests
// and proxies: "volback_api=http://127.0.0.1:8080". Only the origin is replaced; the
// path stays the service's.
inline constexpr std::string_view k_api_override_param = "volback_api";

// The origin a service sends to: `default_origin` ("https://api.telegram.org"), or the
// override of `url` when it has one. invalid_argument when the override is not
// http(s)://host[:port] without a path.
util::Result<std::string> api_origin(const ServiceUrl& url, std::string_view default_origin);

// The query parameters of `url` other than the override.
std::vector<std::pair<std::string, std::string>> service_params(const ServiceUrl& url);

// Fails with invalid_argument naming the first parameter of `url` that is not one of
// `known` (compared ignoring case), as shoutrrr refuses unknown keys. The override is
// always known.
util::Result<void> check_params(const ServiceUrl& url, std::initializer_list<std::string_view> known);

// Sends `request` and classifies the status: 2xx is success; 429 and 5xx transient; 401
// and 403 auth; other statuses permanent. Error messages name `what` ("gotify at
// push.example.com"), the status and at most 200 bytes of the reply; never the URL.
util::Result<http::Response> http_call(http::Transport& transport, const http::Request& request, std::string_view what);

// An application/json POST.
http::Request json_post(std::string url, std::string body, std::vector<http::Header> headers = {});

// Percent-encodes form or query values (Go's url.QueryEscape: space as '+').
std::string query_escape(std::string_view text);

// RFC 2047 encoded-word for a header value that is not ASCII ("=?UTF-8?B?…?="); ASCII
// text unchanged.
std::string encode_header_word(std::string_view text);

// Cuts `text` to at most `max_runes` UTF-8 characters, ending with "…" when cut.
std::string truncate_runes(std::string_view text, std::size_t max_runes);

}  // namespace volback::notify
