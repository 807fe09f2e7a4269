#include <volback/storage/webdav/webdav_settings.hpp>

#include <array>

#include <volback/http/url.hpp>

namespace volback::storage::webdav {

namespace {

constexpr std::array k_webdav_specs{
  k_webdav_url,          k_webdav_path,           k_webdav_username,       k_webdav_password,
  k_webdav_url_insecure, k_webdav_retry_attempts, k_webdav_retry_max_time,
};

// "/a//b/" -> "/a/b"; "/" and "" -> "".
std::string clean_path(std::string_view path) {
  std::string out;
  std::size_t at = 0;
  while (at < path.size()) {
    const auto next = path.find('/', at);
    const auto segment = path.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at);
    if (!segment.empty() && segment != ".") {
      out += '/';
      out += segment;
    }
    if (next == std::string_view::npos) {
      break;
    }
    at = next + 1;
  }
  return out;
}

}  // namespace

std::span<const util::SettingSpec> webdav_setting_specs() {
  return k_webdav_specs;
}

util::Result<std::optional<WebdavSettings>> parse_webdav_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto given, settings.get_optional(k_webdav_url));
  if (!given) {
    return std::optional<WebdavSettings>();
  }
  auto url = http::parse_url(*given);
  if (!url) {
    return util::fail(util::Settings::invalid(k_webdav_url, *given, url.error().message()));
  }
  WebdavSettings out;
  out.origin = url->origin();
  VOLBACK_TRY_ASSIGN(const std::string path, settings.get_string(k_webdav_path));
  if (path.find("/../") != std::string::npos || path.ends_with("/..") || path.starts_with("../") || path == "..") {
    return util::fail(util::Settings::invalid(k_webdav_path, path, "must not hold '..'"));
  }
  out.base = clean_path(url->path + "/" + path);
  VOLBACK_TRY_ASSIGN(const auto username, settings.get_optional(k_webdav_username));
  VOLBACK_TRY_ASSIGN(const auto password, settings.get_optional(k_webdav_password));
  if (!username || !password) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "WEBDAV_URL is defined, but no basic auth credentials were provided "
                      "(set WEBDAV_USERNAME and WEBDAV_PASSWORD)");
  }
  out.username = *username;
  out.password = *password;
  VOLBACK_TRY_ASSIGN(const bool insecure, settings.get_bool(k_webdav_url_insecure));
  if (insecure && url->scheme != "https") {
    return util::fail(util::Settings::invalid(k_webdav_url_insecure, "true",
                                              "only makes sense with https; WEBDAV_URL uses plain http"));
  }
  out.verify_tls = !insecure;
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_webdav_retry_attempts, k_webdav_retry_max_time));
  return std::optional<WebdavSettings>(std::move(out));
}

}  // namespace volback::storage::webdav
