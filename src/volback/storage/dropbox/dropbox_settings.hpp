#pragma once
// The Dropbox backend's settings: offen's DROPBOX_* variables (each also takes NAME_FILE)
// and volback's retry budget. The backend is active when DROPBOX_REFRESH_TOKEN,
// DROPBOX_APP_KEY and DROPBOX_APP_SECRET are set (offen's trigger); setting only some of
// them is an error, where offen would silently store nowhere.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <volback/storage/retry_policy.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::dropbox {

inline constexpr util::SettingSpec k_dropbox_refresh_token{
  "DROPBOX_REFRESH_TOKEN", "", util::Secret::yes,
  "OAuth2 refresh token of the Dropbox app; with DROPBOX_APP_KEY and DROPBOX_APP_SECRET it enables the backend."};
inline constexpr util::SettingSpec k_dropbox_app_key{"DROPBOX_APP_KEY", "", util::Secret::no,
                                                     "The Dropbox app's key (OAuth2 client id)."};
inline constexpr util::SettingSpec k_dropbox_app_secret{"DROPBOX_APP_SECRET", "", util::Secret::yes,
                                                        "The Dropbox app's secret (OAuth2 client secret)."};
inline constexpr util::SettingSpec k_dropbox_remote_path{
  "DROPBOX_REMOTE_PATH", "", util::Secret::no,
  "Folder of the backups (below the app folder for an \"App folder\" app); created if missing."};
inline constexpr util::SettingSpec k_dropbox_concurrency_level{"DROPBOX_CONCURRENCY_LEVEL", "6", util::Secret::no,
                                                               "Upload-session appends in flight at once (1..64)."};
inline constexpr util::SettingSpec k_dropbox_endpoint{
  "DROPBOX_ENDPOINT", "", util::Secret::user_info,
  "API base URL (an emulator's); unset: api.dropboxapi.com for calls and content.dropboxapi.com for file "
  "contents."};
inline constexpr util::SettingSpec k_dropbox_oauth2_endpoint{"DROPBOX_OAUTH2_ENDPOINT", "https://api.dropbox.com/",
                                                             util::Secret::user_info,
                                                             "Base URL of the OAuth2 token endpoint (oauth2/token)."};
inline constexpr util::SettingSpec k_dropbox_retry_attempts{
  "DROPBOX_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per Dropbox request for transient errors (429, 5xx, resets); 1 disables retries."};
inline constexpr util::SettingSpec k_dropbox_retry_max_time{
  "DROPBOX_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: a Dropbox request is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> dropbox_setting_specs();

struct DropboxSettings {
  std::string refresh_token;
  std::string app_key;
  std::string app_secret;
  std::string folder;        // "" (the root) or "/a/b": a Dropbox path without a trailing '/'
  std::string api_base;      // "https://api.dropboxapi.com/": RPC endpoints, with a trailing '/'
  std::string content_base;  // "https://content.dropboxapi.com/": upload and download, with a trailing '/'
  std::string token_url;     // "https://api.dropbox.com/oauth2/token"
  unsigned concurrency = 6;
  RetryPolicy retry;
};

// Reads the settings. nullopt when none of the three credentials is set (the backend is
// off). Errors (invalid_argument naming the variable, never showing a secret): only some
// of the three credentials; endpoints that are not http(s) URLs or hold user info, a
// query or a fragment; a remote path with a '..' component; numbers out of range; and
// Settings' own errors.
util::Result<std::optional<DropboxSettings>> parse_dropbox_settings(const util::Settings& settings);

// "a//b/" -> "/a/b", "/" and "" -> "": the Dropbox form of a folder path. Pure.
std::string dropbox_folder(std::string_view path);

}  // namespace volback::storage::dropbox
