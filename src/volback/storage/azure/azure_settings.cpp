#include <volback/storage/azure/azure_settings.hpp>

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include <volback/http/url.hpp>
#include <volback/storage/digest.hpp>

namespace volback::storage::azure {

namespace {

constexpr std::array k_azure_specs{
  k_azure_storage_account_name,
  k_azure_storage_primary_account_key,
  k_azure_storage_connection_string,
  k_azure_storage_container_name,
  k_azure_storage_path,
  k_azure_storage_endpoint,
  k_azure_storage_access_tier,
  k_azure_upload_concurrency,
  k_azure_retry_attempts,
  k_azure_retry_max_time,
};

// The access tiers of the Azure SDK (offen refuses anything else).
constexpr std::array<std::string_view, 16> k_tiers{"Hot", "Cool", "Cold", "Archive", "Premium", "P4",  "P6",  "P10",
                                                   "P15", "P20",  "P30",  "P40",     "P50",     "P60", "P70", "P80"};

// The well-known key of the storage emulators (Azurite), for UseDevelopmentStorage=true.
constexpr std::string_view k_dev_account = "devstoreaccount1";
constexpr std::string_view k_dev_key =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

std::string strip_slashes(std::string text) {
  while (!text.empty() && text.front() == '/') {
    text.erase(text.begin());
  }
  while (!text.empty() && text.back() == '/') {
    text.pop_back();
  }
  return text;
}

util::Error connection_string_error(std::string_view why) {
  return util::Error(util::ErrorKind::invalid_argument,
                     fmt::format("invalid value for AZURE_STORAGE_CONNECTION_STRING: {}", why));
}

struct Credentials {
  std::string account;
  std::string key;
  std::string endpoint;  // with a trailing '/'
};

// "Name=value;Name=value;..." — values may hold '=' (base64 keys).
util::Result<Credentials> parse_connection_string(std::string_view text) {
  std::map<std::string, std::string, std::less<>> fields;
  while (!text.empty()) {
    const auto semi = text.find(';');
    const std::string_view part = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (part.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      continue;
    }
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      return util::fail(connection_string_error("expected Name=value pairs separated by ';'"));
    }
    fields[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
  }
  const auto field = [&](std::string_view name) -> std::string {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  Credentials out;
  if (field("UseDevelopmentStorage") == "true") {
    out.account = k_dev_account;
    out.key = k_dev_key;
    out.endpoint = field("DevelopmentStorageProxyUri").empty() ? "http://127.0.0.1:10000/devstoreaccount1/"
                                                               : field("DevelopmentStorageProxyUri") + "/";
    return out;
  }
  if (!field("SharedAccessSignature").empty() && field("AccountKey").empty()) {
    return util::fail(connection_string_error(
      "SharedAccessSignature connection strings are not supported; use one with AccountName and AccountKey"));
  }
  out.account = field("AccountName");
  out.key = field("AccountKey");
  if (out.account.empty() || out.key.empty()) {
    return util::fail(connection_string_error("AccountName and AccountKey are required"));
  }
  out.endpoint = field("BlobEndpoint");
  if (out.endpoint.empty()) {
    const std::string protocol =
      field("DefaultEndpointsProtocol").empty() ? "https" : field("DefaultEndpointsProtocol");
    const std::string suffix = field("EndpointSuffix").empty() ? "core.windows.net" : field("EndpointSuffix");
    out.endpoint = fmt::format("{}://{}.blob.{}", protocol, out.account, suffix);
  }
  if (!out.endpoint.ends_with('/')) {
    out.endpoint += '/';
  }
  return out;
}

}  // namespace

std::span<const util::SettingSpec> azure_setting_specs() {
  return k_azure_specs;
}

util::Result<std::string> render_endpoint(std::string_view endpoint, std::string_view account) {
  std::string out;
  std::size_t at = 0;
  while (at < endpoint.size()) {
    const auto open = endpoint.find("{{", at);
    if (open == std::string_view::npos) {
      out += endpoint.substr(at);
      break;
    }
    out += endpoint.substr(at, open - at);
    const auto close = endpoint.find("}}", open);
    if (close == std::string_view::npos) {
      return util::fail(util::ErrorKind::invalid_argument, "an unclosed {{ in the template");
    }
    std::string_view action = endpoint.substr(open + 2, close - open - 2);
    while (!action.empty() && action.front() == ' ') {
      action.remove_prefix(1);
    }
    while (!action.empty() && action.back() == ' ') {
      action.remove_suffix(1);
    }
    if (action != ".AccountName") {
      return util::fail(util::ErrorKind::invalid_argument, "the only template field is {{ .AccountName }}");
    }
    out += account;
    at = close + 2;
  }
  if (!out.ends_with('/')) {
    out += '/';
  }
  return out;
}

util::Result<std::optional<AzureSettings>> parse_azure_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto account, settings.get_optional(k_azure_storage_account_name));
  if (!account) {
    return std::optional<AzureSettings>();
  }
  AzureSettings out;
  VOLBACK_TRY_ASSIGN(const auto key, settings.get_optional(k_azure_storage_primary_account_key));
  VOLBACK_TRY_ASSIGN(const auto connection, settings.get_optional(k_azure_storage_connection_string));
  std::string endpoint;
  std::string key_text;
  if (key && connection) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "AZURE_STORAGE_PRIMARY_ACCOUNT_KEY and AZURE_STORAGE_CONNECTION_STRING are both set; use one");
  }
  if (!key && !connection) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "AZURE_STORAGE_ACCOUNT_NAME is set, but neither AZURE_STORAGE_PRIMARY_ACCOUNT_KEY nor "
                      "AZURE_STORAGE_CONNECTION_STRING: offen would then use a managed identity, which volback does "
                      "not support; give the account key or a connection string");
  }
  if (connection) {
    VOLBACK_TRY_ASSIGN(const auto credentials, parse_connection_string(*connection));
    out.account = credentials.account;
    key_text = credentials.key;
    endpoint = credentials.endpoint;
  } else {
    out.account = *account;
    key_text = *key;
    VOLBACK_TRY_ASSIGN(const std::string given, settings.get_string(k_azure_storage_endpoint));
    auto rendered = render_endpoint(given, out.account);
    if (!rendered) {
      return util::fail(util::Settings::invalid(k_azure_storage_endpoint, given, rendered.error().message()));
    }
    endpoint = *rendered;
  }
  auto decoded = from_base64(key_text);
  if (!decoded || decoded->empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      connection ? "invalid value for AZURE_STORAGE_CONNECTION_STRING: AccountKey is not base64"
                                 : "invalid value for AZURE_STORAGE_PRIMARY_ACCOUNT_KEY: not a base64 key");
  }
  out.key = std::move(*decoded);
  auto url = http::parse_url(endpoint);
  if (!url) {
    return util::fail(util::Settings::invalid(connection ? k_azure_storage_connection_string : k_azure_storage_endpoint,
                                              endpoint, url.error().message()));
  }
  out.origin = url->origin();
  out.base_path = url->path;
  VOLBACK_TRY_ASSIGN(out.container, settings.get_string(k_azure_storage_container_name));
  if (out.container.empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "AZURE_STORAGE_ACCOUNT_NAME is set, but AZURE_STORAGE_CONTAINER_NAME is not");
  }
  if (out.container.find_first_of("/?#% ") != std::string::npos) {
    return util::fail(util::Settings::invalid(k_azure_storage_container_name, out.container,
                                              "must be a container name (lower-case letters, digits and '-')"));
  }
  VOLBACK_TRY_ASSIGN(std::string path, settings.get_string(k_azure_storage_path));
  out.path = strip_slashes(std::move(path));
  VOLBACK_TRY_ASSIGN(out.access_tier, settings.get_string(k_azure_storage_access_tier));
  if (!out.access_tier.empty() &&
      std::find(k_tiers.begin(), k_tiers.end(), std::string_view(out.access_tier)) == k_tiers.end()) {
    return util::fail(util::Settings::invalid(k_azure_storage_access_tier, out.access_tier,
                                              "must be Hot, Cool, Cold, Archive, Premium or P4, P6, P10 ... P80"));
  }
  VOLBACK_TRY_ASSIGN(const auto concurrency, settings.get_int(k_azure_upload_concurrency, 1, 64));
  out.concurrency = static_cast<unsigned>(concurrency);
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_azure_retry_attempts, k_azure_retry_max_time));
  return std::optional<AzureSettings>(std::move(out));
}

}  // namespace volback::storage::azure
