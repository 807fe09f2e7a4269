#include <volback/storage/dropbox/dropbox_settings.hpp>

#include <array>

#include <volback/http/url.hpp>

namespace volback::storage::dropbox {

namespace {

constexpr std::array k_dropbox_specs{
  k_dropbox_refresh_token,   k_dropbox_app_key,           k_dropbox_app_secret,
  k_dropbox_remote_path,     k_dropbox_concurrency_level, k_dropbox_endpoint,
  k_dropbox_oauth2_endpoint, k_dropbox_retry_attempts,    k_dropbox_retry_max_time,
};

constexpr std::string_view k_default_api = "https://api.dropboxapi.com/";
constexpr std::string_view k_default_content = "https://content.dropboxapi.com/";

// The URL of an endpoint setting with exactly one trailing '/'.
util::Result<std::string> endpoint_base(const util::SettingSpec& spec, const std::string& value) {
  auto url = http::parse_url(value);
  if (!url) {
    return util::fail(util::Settings::invalid(spec, value, url.error().message()));
  }
  return url->origin() + url->path + "/";
}

bool has_parent_component(std::string_view path) {
  std::size_t at = 0;
  while (at <= path.size()) {
    const auto end = std::min(path.find('/', at), path.size());
    if (path.substr(at, end - at) == "..") {
      return true;
    }
    at = end + 1;
  }
  return false;
}

}  // namespace

std::span<const util::SettingSpec> dropbox_setting_specs() {
  return k_dropbox_specs;
}

std::string dropbox_folder(std::string_view path) {
  std::string folder;
  for (std::size_t at = 0; at < path.size();) {
    const auto end = std::min(path.find('/', at), path.size());
    if (end > at && path.substr(at, end - at) != ".") {
      folder.append("/").append(path.substr(at, end - at));
    }
    at = end + 1;
  }
  return folder;
}

util::Result<std::optional<DropboxSettings>> parse_dropbox_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto refresh_token, settings.get_optional(k_dropbox_refresh_token));
  VOLBACK_TRY_ASSIGN(const auto app_key, settings.get_optional(k_dropbox_app_key));
  VOLBACK_TRY_ASSIGN(const auto app_secret, settings.get_optional(k_dropbox_app_secret));
  if (!refresh_token && !app_key && !app_secret) {
    return std::optional<DropboxSettings>();
  }
  if (!refresh_token || !app_key || !app_secret) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "the Dropbox backend needs DROPBOX_REFRESH_TOKEN, DROPBOX_APP_KEY and DROPBOX_APP_SECRET; "
                      "only some of them are set");
  }
  DropboxSettings out;
  out.refresh_token = *refresh_token;
  out.app_key = *app_key;
  out.app_secret = *app_secret;
  VOLBACK_TRY_ASSIGN(const std::string remote_path, settings.get_string(k_dropbox_remote_path));
  if (has_parent_component(remote_path)) {
    return util::fail(util::Settings::invalid(k_dropbox_remote_path, remote_path, "must not hold '..'"));
  }
  out.folder = dropbox_folder(remote_path);
  VOLBACK_TRY_ASSIGN(const auto endpoint, settings.get_optional(k_dropbox_endpoint));
  if (endpoint) {
    VOLBACK_TRY_ASSIGN(out.api_base, endpoint_base(k_dropbox_endpoint, *endpoint));
    out.content_base = out.api_base;
  } else {
    out.api_base = k_default_api;
    out.content_base = k_default_content;
  }
  VOLBACK_TRY_ASSIGN(const std::string oauth2, settings.get_string(k_dropbox_oauth2_endpoint));
  VOLBACK_TRY_ASSIGN(const std::string oauth2_base, endpoint_base(k_dropbox_oauth2_endpoint, oauth2));
  out.token_url = oauth2_base + "oauth2/token";
  VOLBACK_TRY_ASSIGN(const auto concurrency, settings.get_int(k_dropbox_concurrency_level, 1, 64));
  out.concurrency = static_cast<unsigned>(concurrency);
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_dropbox_retry_attempts, k_dropbox_retry_max_time));
  return std::optional<DropboxSettings>(std::move(out));
}

}  // namespace volback::storage::dropbox
