#pragma once
// The table of notification services: a URL of NOTIFICATION_URLS becomes the Service of
// its scheme. Each service reads shoutrrr's URL form and query parameters (see
// docs/notifications.md for each one's form and example):
//
//   smtp  generic  generic+http(s)  ntfy  gotify  slack  discord  telegram  teams
//   matrix  pushover  mattermost  googlechat
//
// Every service also takes volback_api=http(s)://host:port (http_call.hpp), which sends
// its requests to that origin instead of the service's API: for tests, and proxies.

#include <memory>
#include <span>
#include <string_view>

#include <volback/notify/service.hpp>
#include <volback/notify/service_url.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// The schemes volback knows, in the order above.
std::span<const std::string_view> service_schemes();

// Parses one URL. invalid_argument "unknown notification service "x"" for a scheme
// outside the table, else the service's own complaint ("slack: invalid token"); never
// the URL's text or a secret.
util::Result<std::unique_ptr<Service>> parse_service(std::string_view url);

// The parsers of the table, one per service file.
util::Result<std::unique_ptr<Service>> parse_smtp(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_generic(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_ntfy(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_gotify(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_slack(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_discord(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_telegram(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_teams(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_matrix(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_pushover(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_mattermost(const ServiceUrl& url);
util::Result<std::unique_ptr<Service>> parse_googlechat(const ServiceUrl& url);

}  // namespace volback::notify
