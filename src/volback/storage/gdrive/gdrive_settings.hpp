#pragma once
// The Google Drive backend's settings: offen's GOOGLE_DRIVE_* variables (each also takes
// NAME_FILE) and volback's additions (GOOGLE_DRIVE_INSECURE, the chunk size, the retry
// budget). The backend is active when GOOGLE_DRIVE_CREDENTIALS_JSON is set.
//
// Differences from offen, on purpose (docs/google-drive.md):
//   - GOOGLE_DRIVE_ENDPOINT does not turn TLS verification off; GOOGLE_DRIVE_INSECURE=true
//     does, and nothing else.
//   - GOOGLE_DRIVE_IMPERSONATE_SUBJECT may be empty: the service account then acts as
//     itself (a folder shared with it, or a shared drive it is a member of). offen
//     refuses an empty subject.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <volback/storage/gdrive/service_account.hpp>
#include <volback/storage/retry_policy.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::gdrive {

inline constexpr util::SettingSpec k_gdrive_credentials_json{
  "GOOGLE_DRIVE_CREDENTIALS_JSON", "", util::Secret::yes,
  "The service account's JSON key (client_email, private_key, token_uri); setting it enables the Google Drive "
  "backend. Usually given as GOOGLE_DRIVE_CREDENTIALS_JSON_FILE."};
inline constexpr util::SettingSpec k_gdrive_impersonate_subject{
  "GOOGLE_DRIVE_IMPERSONATE_SUBJECT", "", util::Secret::no,
  "The user the service account acts for (domain-wide delegation, the JWT's sub claim); empty: the account itself."};
inline constexpr util::SettingSpec k_gdrive_folder_id{
  "GOOGLE_DRIVE_FOLDER_ID", "", util::Secret::no,
  "The id of the folder the backups go to; empty: \"root\", the user's My Drive."};
inline constexpr util::SettingSpec k_gdrive_team_drive_id{
  "GOOGLE_DRIVE_TEAM_DRIVE_ID", "", util::Secret::no,
  "The shared drive that holds the folder; listings then search that drive (corpora=drive)."};
inline constexpr util::SettingSpec k_gdrive_endpoint{
  "GOOGLE_DRIVE_ENDPOINT", "https://www.googleapis.com/drive/v3/", util::Secret::user_info,
  "The Drive API's base URL; uploads go to /upload/drive/v3/files on its host. Does not turn TLS "
  "verification off (unlike offen)."};
inline constexpr util::SettingSpec k_gdrive_token_url{
  "GOOGLE_DRIVE_TOKEN_URL", "", util::Secret::user_info,
  "The OAuth 2.0 token endpoint; empty: the token_uri of the credentials, else https://oauth2.googleapis.com/token."};
inline constexpr util::SettingSpec k_gdrive_insecure{
  "GOOGLE_DRIVE_INSECURE", "false", util::Secret::no,
  "Skip TLS certificate verification for the Drive API and the token endpoint."};
inline constexpr util::SettingSpec k_gdrive_chunk_size{
  "GOOGLE_DRIVE_CHUNK_SIZE", "8", util::Secret::no,
  "MiB per request of a resumable upload (1..256): the memory an upload holds and what a retry resends."};
inline constexpr util::SettingSpec k_gdrive_retry_attempts{
  "GOOGLE_DRIVE_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per Google Drive request for transient errors; 1 disables retries."};
inline constexpr util::SettingSpec k_gdrive_retry_max_time{
  "GOOGLE_DRIVE_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: a Google Drive request is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> gdrive_setting_specs();

struct GdriveSettings {
  ServiceAccount account;
  std::string subject;        // empty: no impersonation
  std::string folder_id;      // never empty ("root" by default)
  std::string team_drive_id;  // empty: not a shared drive
  std::string api_base;       // "https://www.googleapis.com/drive/v3/", always with a trailing '/'
  std::string upload_base;    // "https://www.googleapis.com/upload/drive/v3/"
  std::string token_url;
  bool verify_tls = true;
  std::uint64_t chunk_size = std::uint64_t{8} << 20;  // a multiple of 256 KiB
  RetryPolicy retry;
};

// Reads the settings. nullopt when GOOGLE_DRIVE_CREDENTIALS_JSON is unset (the backend
// is off). Errors (invalid_argument, naming the variable, never showing the key): JSON
// that is not a service account key (parse_service_account), a folder or drive id with
// characters Drive ids never have, endpoints that are not http(s) URLs, numbers out of
// range, and Settings' own errors.
util::Result<std::optional<GdriveSettings>> parse_gdrive_settings(const util::Settings& settings);

}  // namespace volback::storage::gdrive
