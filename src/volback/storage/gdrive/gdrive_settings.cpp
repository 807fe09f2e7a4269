#include <volback/storage/gdrive/gdrive_settings.hpp>

#include <array>

#include <fmt/format.h>

#include <volback/http/url.hpp>

namespace volback::storage::gdrive {

namespace {

constexpr std::array k_gdrive_specs{
  k_gdrive_credentials_json, k_gdrive_impersonate_subject, k_gdrive_folder_id, k_gdrive_team_drive_id,
  k_gdrive_endpoint,         k_gdrive_token_url,           k_gdrive_insecure,  k_gdrive_chunk_size,
  k_gdrive_retry_attempts,   k_gdrive_retry_max_time,
};

constexpr std::string_view k_google_token_url = "https://oauth2.googleapis.com/token";
constexpr std::uint64_t k_drive_chunk_unit = 256 * 1024;

// Drive's ids are URL-safe base64-like tokens ("root" and "0AB…" included). Anything
// else would have to be escaped in a query and is surely a mistake.
bool is_drive_id(std::string_view id) {
  if (id.empty() || id.size() > 200) {
    return false;
  }
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

util::Result<std::string> read_drive_id(const util::Settings& settings, const util::SettingSpec& spec) {
  VOLBACK_TRY_ASSIGN(std::string id, settings.get_string(spec));
  if (!id.empty() && !is_drive_id(id)) {
    return util::fail(util::Settings::invalid(spec, id, "must be a Drive id (letters, digits, '-' and '_')"));
  }
  return id;
}

// An http(s) URL, checked like the other endpoints (no user info, query or fragment).
util::Result<http::Url> read_url(const util::SettingSpec& spec, const std::string& value) {
  auto url = http::parse_url(value);
  if (!url) {
    return util::fail(util::Settings::invalid(spec, value, url.error().message()));
  }
  return std::move(*url);
}

}  // namespace

std::span<const util::SettingSpec> gdrive_setting_specs() {
  return k_gdrive_specs;
}

util::Result<std::optional<GdriveSettings>> parse_gdrive_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto credentials, settings.get_optional(k_gdrive_credentials_json));
  if (!credentials) {
    return std::optional<GdriveSettings>();
  }
  GdriveSettings out;
  VOLBACK_TRY_ASSIGN(out.account, parse_service_account(*credentials, k_gdrive_credentials_json.name));
  VOLBACK_TRY_ASSIGN(out.subject, settings.get_string(k_gdrive_impersonate_subject));
  VOLBACK_TRY_ASSIGN(out.folder_id, read_drive_id(settings, k_gdrive_folder_id));
  if (out.folder_id.empty()) {
    out.folder_id = "root";
  }
  VOLBACK_TRY_ASSIGN(out.team_drive_id, read_drive_id(settings, k_gdrive_team_drive_id));

  VOLBACK_TRY_ASSIGN(const std::string endpoint, settings.get_string(k_gdrive_endpoint));
  VOLBACK_TRY_ASSIGN(const auto api, read_url(k_gdrive_endpoint, endpoint));
  out.api_base = api.origin() + api.path + "/";
  out.upload_base = api.origin() + "/upload/drive/v3/";

  VOLBACK_TRY_ASSIGN(std::string token_url, settings.get_string(k_gdrive_token_url));
  const util::SettingSpec& token_spec = token_url.empty() ? k_gdrive_credentials_json : k_gdrive_token_url;
  if (token_url.empty()) {
    token_url = out.account.token_uri.empty() ? std::string(k_google_token_url) : out.account.token_uri;
  }
  VOLBACK_TRY(read_url(token_spec, token_url));
  out.token_url = token_url;

  VOLBACK_TRY_ASSIGN(const bool insecure, settings.get_bool(k_gdrive_insecure));
  out.verify_tls = !insecure;
  VOLBACK_TRY_ASSIGN(const auto chunk_mib, settings.get_int(k_gdrive_chunk_size, 1, 256));
  out.chunk_size = static_cast<std::uint64_t>(chunk_mib) << 20;
  static_assert((std::uint64_t{1} << 20) % k_drive_chunk_unit == 0);
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_gdrive_retry_attempts, k_gdrive_retry_max_time));
  return std::optional<GdriveSettings>(std::move(out));
}

}  // namespace volback::storage::gdrive
