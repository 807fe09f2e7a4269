#include <volback/app/config/repository_settings.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include <volback/storage/local/local_backend_type.hpp>
#include <volback/storage/registry/registry.hpp>

namespace volback::app {

namespace {

constexpr std::array k_repository_specs{k_restic_repository, k_restic_password, k_restic_host, k_repository_lock_wait};

util::Error bad_location(std::string_view location, std::string_view why) {
  return util::Settings::invalid(k_restic_repository, location, why);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "a/b/c" split at its first '/': {"a", "b/c"}; {"a", ""} without one.
std::pair<std::string_view, std::string_view> split_first(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return {text, {}};
  }
  return {text.substr(0, slash), text.substr(slash + 1)};
}

std::string trimmed_path(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  return std::string(path);
}

util::Result<RepositoryLocation> local_location(std::string_view location, std::string_view path) {
  if (path.empty() || path.front() != '/') {
    return util::fail(bad_location(location, "a local repository needs an absolute path"));
  }
  return RepositoryLocation{.backend = "Local", .describe = std::string(path), .implied = {}};
}

// s3:[http(s)://]host[:port]/bucket[/prefix]
util::Result<RepositoryLocation> s3_location(std::string_view location, std::string_view rest) {
  std::string scheme;
  for (const std::string_view candidate : {"https://", "http://"}) {
    if (starts_with(rest, candidate)) {
      scheme = std::string(candidate);
      rest.remove_prefix(candidate.size());
    }
  }
  const auto [host, path] = split_first(rest);
  const auto [bucket, prefix] = split_first(path);
  if (host.empty() || bucket.empty()) {
    return util::fail(bad_location(location, "an S3 repository is s3:host/bucket[/prefix]"));
  }
  return RepositoryLocation{.backend = "S3",
                            .describe = fmt::format("s3:{}{}/{}/{}", scheme, host, bucket, trimmed_path(prefix)),
                            .implied = {{"AWS_ENDPOINT", scheme + std::string(host)},
                                        {"AWS_S3_BUCKET_NAME", std::string(bucket)},
                                        {"AWS_S3_PATH", trimmed_path(prefix)}}};
}

// sftp:[user@]host:path or sftp://[user@]host[:port]/path (restic's two forms).
util::Result<RepositoryLocation> sftp_location(std::string_view location, std::string_view rest) {
  std::string_view user_host;
  std::string_view port;
  std::string path;
  if (starts_with(rest, "//")) {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    user_host = rest.substr(0, slash);
    path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
    if (const auto colon = user_host.rfind(':'); colon != std::string_view::npos) {
      port = user_host.substr(colon + 1);
      user_host = user_host.substr(0, colon);
    }
  } else {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
      return util::fail(bad_location(location, "an SFTP repository is sftp:user@host:/path"));
    }
    user_host = rest.substr(0, colon);
    path = std::string(rest.substr(colon + 1));
  }
  std::string_view user;
  std::string_view host = user_host;
  if (const auto at = user_host.rfind('@'); at != std::string_view::npos) {
    user = user_host.substr(0, at);
    host = user_host.substr(at + 1);
  }
  if (host.empty() || path.empty()) {
    return util::fail(bad_location(location, "an SFTP repository is sftp:user@host:/path"));
  }
  RepositoryLocation result{.backend = "SFTP",
                            .describe = fmt::format("sftp:{}:{}", host, path),
                            .implied = {{"SSH_HOST_NAME", std::string(host)}, {"SSH_REMOTE_PATH", path}}};
  if (!user.empty()) {
    result.implied.emplace("SSH_USER", std::string(user));
  }
  if (!port.empty()) {
    result.implied.emplace("SSH_PORT", std::string(port));
  }
  return result;
}

// azure:container:/path
util::Result<RepositoryLocation> azure_location(std::string_view location, std::string_view rest) {
  const auto colon = rest.find(':');
  const auto container = rest.substr(0, colon);
  if (colon == std::string_view::npos || container.empty()) {
    return util::fail(bad_location(location, "an Azure repository is azure:container:/path"));
  }
  const auto path = trimmed_path(rest.substr(colon + 1));
  return RepositoryLocation{
    .backend = "Azure",
    .describe = fmt::format("azure:{}:/{}", container, path),
    .implied = {{"AZURE_STORAGE_CONTAINER_NAME", std::string(container)}, {"AZURE_STORAGE_PATH", path}}};
}

std::string machine_hostname() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) {
    return "localhost";
  }
  return name.data();
}

const storage::BackendType* registered(std::string_view name) {
  const auto types = storage::backend_types();
  const auto it = std::find_if(types.begin(), types.end(), [&](const auto* type) { return type->name == name; });
  return it == types.end() ? nullptr : *it;
}

}  // namespace

std::span<const util::SettingSpec> repository_setting_specs() {
  return k_repository_specs;
}

util::Result<RepositoryLocation> parse_repository_location(std::string_view location) {
  if (starts_with(location, "/")) {
    return local_location(location, location);
  }
  const auto colon = location.find(':');
  if (colon == std::string_view::npos) {
    return local_location(location, location);
  }
  const auto scheme = location.substr(0, colon);
  const auto rest = location.substr(colon + 1);
  if (scheme == "local") {
    return local_location(location, rest);
  }
  if (scheme == "s3") {
    return s3_location(location, rest);
  }
  if (scheme == "sftp") {
    return sftp_location(location, rest);
  }
  if (scheme == "azure") {
    return azure_location(location, rest);
  }
  return util::fail(bad_location(
    location,
    fmt::format("volback does not support {} repositories (local paths, s3:, sftp: and azure: work)", scheme)));
}

util::Result<std::optional<RepositorySettings>> parse_repository_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto location_text, settings.get_optional(k_restic_repository));
  if (!location_text) {
    return std::optional<RepositorySettings>();
  }
  VOLBACK_TRY_ASSIGN(auto location, parse_repository_location(*location_text));
  VOLBACK_TRY_ASSIGN(const auto password, settings.get_optional(k_restic_password));
  if (!password) {
    return util::fail(util::Error(util::ErrorKind::invalid_argument,
                                  "RESTIC_REPOSITORY is set but RESTIC_PASSWORD and RESTIC_PASSWORD_FILE are not: the "
                                  "repository's password is needed"));
  }
  VOLBACK_TRY_ASSIGN(const auto host, settings.get_optional(k_restic_host));
  VOLBACK_TRY_ASSIGN(const auto lock_wait, settings.get_duration(k_repository_lock_wait));
  if (lock_wait.count() < 0) {
    return util::fail(util::Settings::invalid(k_repository_lock_wait, "", "must not be negative"));
  }
  RepositorySettings result{.location = std::move(location),
                            .password = *password,
                            .hostname = host.value_or(machine_hostname()),
                            .storage = nullptr};
  if (result.location.backend == "Local") {
    result.storage = storage::local::make_local_config({.directory = result.location.describe, .latest_symlink = {}});
    return std::optional(std::move(result));
  }
  const auto* type = registered(result.location.backend);
  if (type == nullptr) {
    return util::fail(bad_location(*location_text, "this volback has no such backend"));
  }
  const util::MapSource implied(result.location.implied, "RESTIC_REPOSITORY");
  const util::Settings with_location = settings.with_top_layer(implied);
  VOLBACK_TRY_ASSIGN(auto config, type->parse(with_location, [](const std::string& name) { return name; }));
  if (!config) {
    return util::fail(bad_location(*location_text, "its backend is not configured"));
  }
  result.storage = std::move(config);
  return std::optional(std::move(result));
}

}  // namespace volback::app
