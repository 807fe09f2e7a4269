#pragma once
// The WebDAV backend's settings: offen's WEBDAV_* variables (each also takes NAME_FILE)
// and volback's retry budget. The backend is active when WEBDAV_URL is set.

#include <optional>
#include <span>
#include <string>

#include <volback/storage/retry_policy.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::webdav {

inline constexpr util::SettingSpec k_webdav_url{
  "WEBDAV_URL", "", util::Secret::user_info,
  "URL of the WebDAV server (https://host[:port][/base]); setting it enables the backend. No user info: the "
  "credentials go in WEBDAV_USERNAME and WEBDAV_PASSWORD."};
inline constexpr util::SettingSpec k_webdav_path{"WEBDAV_PATH", "/", util::Secret::no,
                                                 "Directory below WEBDAV_URL for the backups; created if missing."};
inline constexpr util::SettingSpec k_webdav_username{"WEBDAV_USERNAME", "", util::Secret::no,
                                                     "User name for basic or digest authentication."};
inline constexpr util::SettingSpec k_webdav_password{"WEBDAV_PASSWORD", "", util::Secret::yes,
                                                     "Password for basic or digest authentication."};
inline constexpr util::SettingSpec k_webdav_url_insecure{"WEBDAV_URL_INSECURE", "false", util::Secret::no,
                                                         "Skip TLS certificate verification (https only)."};
inline constexpr util::SettingSpec k_webdav_retry_attempts{
  "WEBDAV_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per WebDAV request for transient errors; 1 disables retries."};
inline constexpr util::SettingSpec k_webdav_retry_max_time{
  "WEBDAV_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: a WebDAV request is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> webdav_setting_specs();

struct WebdavSettings {
  std::string origin;    // "https://host:port", without a trailing '/'
  std::string base;      // the URL's path joined with WEBDAV_PATH: "/dav/backups" or "" (the root)
  std::string username;  // never empty
  std::string password;  // never empty
  bool verify_tls = true;
  RetryPolicy retry;
};

// Reads the settings. nullopt when WEBDAV_URL is unset (the backend is off).
// Errors (invalid_argument, naming the variable): a URL that is not http(s)://host[:port]
// with an optional path, or holds user info, a query or a fragment; WEBDAV_USERNAME or
// WEBDAV_PASSWORD missing (offen's rule: both are needed); WEBDAV_URL_INSECURE with plain
// http; retry settings out of range; and Settings' own errors.
util::Result<std::optional<WebdavSettings>> parse_webdav_settings(const util::Settings& settings);

}  // namespace volback::storage::webdav
