#pragma once
// The Azure Blob backend's settings: offen's AZURE_STORAGE_* variables (each also takes
// NAME_FILE) and volback's additions (upload concurrency, retry budget). The backend is
// active when AZURE_STORAGE_ACCOUNT_NAME is set.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/storage/retry_policy.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::azure {

inline constexpr util::SettingSpec k_azure_storage_account_name{
  "AZURE_STORAGE_ACCOUNT_NAME", "", util::Secret::no, "Storage account; setting it enables the Azure Blob backend."};
inline constexpr util::SettingSpec k_azure_storage_primary_account_key{
  "AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", "", util::Secret::yes, "The account's access key (Shared Key)."};
inline constexpr util::SettingSpec k_azure_storage_connection_string{
  "AZURE_STORAGE_CONNECTION_STRING", "", util::Secret::yes,
  "A connection string with AccountName and AccountKey, instead of the key (its BlobEndpoint, or "
  "DefaultEndpointsProtocol and EndpointSuffix, then give the endpoint)."};
inline constexpr util::SettingSpec k_azure_storage_container_name{"AZURE_STORAGE_CONTAINER_NAME", "", util::Secret::no,
                                                                  "The blob container of the backups."};
inline constexpr util::SettingSpec k_azure_storage_path{"AZURE_STORAGE_PATH", "", util::Secret::no,
                                                        "Blob name prefix (a \"directory\") for the backups."};
inline constexpr util::SettingSpec k_azure_storage_endpoint{
  "AZURE_STORAGE_ENDPOINT", "https://{{ .AccountName }}.blob.core.windows.net/", util::Secret::user_info,
  "The blob service endpoint; {{ .AccountName }} becomes the account name. Ignored with a connection string."};
inline constexpr util::SettingSpec k_azure_storage_access_tier{
  "AZURE_STORAGE_ACCESS_TIER", "", util::Secret::no,
  "Access tier of uploaded blobs: Hot, Cool, Cold, Archive, or a premium tier (P4 ... P80)."};
inline constexpr util::SettingSpec k_azure_upload_concurrency{"AZURE_UPLOAD_CONCURRENCY", "4", util::Secret::no,
                                                              "Blocks uploaded at once (1..64)."};
inline constexpr util::SettingSpec k_azure_retry_attempts{
  "AZURE_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per Azure request for transient errors; 1 disables retries."};
inline constexpr util::SettingSpec k_azure_retry_max_time{
  "AZURE_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: an Azure request is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> azure_setting_specs();

struct AzureSettings {
  std::string account;             // the account that signs (the connection string's, if one is given)
  std::vector<unsigned char> key;  // the decoded account key
  std::string origin;              // "https://acc.blob.core.windows.net", "http://127.0.0.1:10000"
  std::string base_path;           // "" or "/devstoreaccount1" (an emulator's path-style account)
  std::string container;
  std::string path;         // blob name prefix without leading or trailing '/'; may be empty
  std::string access_tier;  // empty: the account's default
  std::uint64_t block_size = std::uint64_t{8} << 20;
  unsigned concurrency = 4;
  RetryPolicy retry;
};

// Reads the settings. nullopt when AZURE_STORAGE_ACCOUNT_NAME is unset (the backend is off).
// Errors (invalid_argument, naming the variable, never showing a key): both the key and
// a connection string; neither (offen falls back to a managed identity, which volback
// does not support); a key that is not base64; a connection string without AccountName
// and AccountKey (a SAS connection string among them); a missing container; an endpoint
// that is not an http(s) URL after the template is filled in; an unknown access tier;
// numbers out of range; and Settings' own errors.
util::Result<std::optional<AzureSettings>> parse_azure_settings(const util::Settings& settings);

// AZURE_STORAGE_ENDPOINT with "{{ .AccountName }}" (any spacing) replaced by `account`
// and one trailing '/'. Errors: invalid_argument for any other template action. Pure.
util::Result<std::string> render_endpoint(std::string_view endpoint, std::string_view account);

}  // namespace volback::storage::azure
