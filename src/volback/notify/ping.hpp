#pragma once
// healthchecks.io-style pings (also Uptime Kuma push monitors and cronitor): a request
// when a run starts, and one when it ends, telling success from failure.
//
//   VOLBACK_PING_URL=https://hc-ping.com/<uuid>
//     start    GET  <url>/start
//     success  POST <url>        body: the last lines of the run's log
//     failure  POST <url>/fail   body: the same
//   VOLBACK_PING_START_URL, VOLBACK_PING_SUCCESS_URL, VOLBACK_PING_FAIL_URL replace one of
//   these each with a GET of exactly that URL (for services that want another form:
//   Uptime Kuma's ".../api/push/<token>?status=up", cronitor's ".../run" ".../complete"
//   ".../fail"). Without VOLBACK_PING_URL only the explicit ones are sent.
//
// The URLs hold the check's secret: they are Secret settings and never logged.

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include <volback/notify/sender.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::notify {

inline constexpr util::SettingSpec k_ping_url{
  "VOLBACK_PING_URL", "", util::Secret::yes,
  "healthchecks.io-style check URL: GET <url>/start, POST <url> on success, POST <url>/fail on failure."};
inline constexpr util::SettingSpec k_ping_start_url{
  "VOLBACK_PING_START_URL", "", util::Secret::yes,
  "URL to GET when a run starts (instead of <VOLBACK_PING_URL>/start)."};
inline constexpr util::SettingSpec k_ping_success_url{
  "VOLBACK_PING_SUCCESS_URL", "", util::Secret::yes,
  "URL to GET when a run succeeds (instead of POST <VOLBACK_PING_URL>)."};
inline constexpr util::SettingSpec k_ping_fail_url{
  "VOLBACK_PING_FAIL_URL", "", util::Secret::yes,
  "URL to GET when a run fails (instead of POST <VOLBACK_PING_URL>/fail)."};

std::span<const util::SettingSpec> ping_setting_specs();

struct PingRequest {
  std::string url;
  bool post_log = false;  // POST the log's last lines; else GET
};

struct PingSettings {
  std::optional<PingRequest> start;
  std::optional<PingRequest> success;
  std::optional<PingRequest> failure;

  bool enabled() const { return start || success || failure; }
};

// Reads the ping settings. invalid_argument for a URL that is not http(s).
util::Result<PingSettings> parse_ping_settings(const util::Settings& settings);

// Sends one ping: `log_tail` is the body when the request posts the log. Retries
// transient failures (3 attempts, 10 s each). Errors never contain the URL.
util::Result<void> send_ping(const PingRequest& request, std::string_view log_tail,
                             const TransportFactory& make_transport);

}  // namespace volback::notify
