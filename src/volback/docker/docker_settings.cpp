#include <volback/docker/docker_settings.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include <fmt/format.h>

#include <volback/docker/api_version.hpp>
#include <volback/docker/http_api.hpp>

namespace volback::docker {

namespace {

constexpr std::array k_docker_specs{k_docker_host,
                                    k_docker_cert_path,
                                    k_docker_tls_verify,
                                    k_docker_api_version,
                                    k_stop_during_backup_label,
                                    k_stop_during_backup_no_restart_label,
                                    k_stop_container_label,
                                    k_stop_service_timeout,
                                    k_exec_label,
                                    k_exec_forward_output,
                                    k_exec_timeout};

// DOCKER_CERT_PATH/<name>, checked to be a readable regular file.
util::Result<std::string> tls_file(const std::string& dir, std::string_view name) {
  const std::string path = dir + "/" + std::string(name);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(path.c_str(), R_OK) != 0) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("DOCKER_CERT_PATH: {} is missing or not a readable file (the directory must "
                                  "hold ca.pem, cert.pem and key.pem)",
                                  path));
  }
  return path;
}

util::Result<std::optional<EndpointTls>> parse_tls(const util::Settings& settings, std::vector<std::string>& warnings) {
  VOLBACK_TRY_ASSIGN(const auto cert_path, settings.get_optional(k_docker_cert_path));
  VOLBACK_TRY_ASSIGN(const auto verify, settings.get_optional(k_docker_tls_verify));
  if (!cert_path) {
    if (verify) {
      return util::fail(util::ErrorKind::invalid_argument,
                        "DOCKER_TLS_VERIFY is set but DOCKER_CERT_PATH is not: set it to the directory with "
                        "ca.pem, cert.pem and key.pem");
    }
    return std::optional<EndpointTls>{};
  }
  EndpointTls tls;
  VOLBACK_TRY_ASSIGN(tls.ca_file, tls_file(*cert_path, "ca.pem"));
  VOLBACK_TRY_ASSIGN(tls.cert_file, tls_file(*cert_path, "cert.pem"));
  VOLBACK_TRY_ASSIGN(tls.key_file, tls_file(*cert_path, "key.pem"));
  tls.verify = verify.has_value();
  if (!tls.verify) {
    warnings.emplace_back(
      "DOCKER_CERT_PATH is set without DOCKER_TLS_VERIFY: the Docker daemon's certificate is not verified; set "
      "DOCKER_TLS_VERIFY=1");
  }
  return std::optional<EndpointTls>{std::move(tls)};
}

}  // namespace

std::span<const util::SettingSpec> docker_setting_specs() {
  return k_docker_specs;
}

util::Result<DockerSettings> parse_docker_settings(const util::Settings& settings) {
  DockerSettings out;
  VOLBACK_TRY_ASSIGN(out.docker_host, settings.get_optional(k_docker_host));
  if (out.docker_host) {
    VOLBACK_TRY(parse_docker_host(*out.docker_host));
  }
  VOLBACK_TRY_ASSIGN(out.tls, parse_tls(settings, out.warnings));
  VOLBACK_TRY_ASSIGN(out.api_version, settings.get_optional(k_docker_api_version));
  if (out.api_version) {
    VOLBACK_TRY(negotiate_api_version(*out.api_version, std::nullopt));
  }
  VOLBACK_TRY_ASSIGN(out.labels.stop, settings.get_string(k_stop_during_backup_label));
  VOLBACK_TRY_ASSIGN(out.labels.no_restart, settings.get_string(k_stop_during_backup_no_restart_label));
  VOLBACK_TRY_ASSIGN(const auto old_label, settings.get_optional(k_stop_container_label));
  if (old_label) {
    if (settings.is_set(k_stop_during_backup_label.name)) {
      if (*old_label != out.labels.stop) {
        return util::fail(util::ErrorKind::invalid_argument,
                          fmt::format("BACKUP_STOP_CONTAINER_LABEL ({}) and BACKUP_STOP_DURING_BACKUP_LABEL ({}) "
                                      "disagree; set only BACKUP_STOP_DURING_BACKUP_LABEL",
                                      *old_label, out.labels.stop));
      }
    } else {
      out.labels.stop = *old_label;
    }
    out.warnings.emplace_back(
      "BACKUP_STOP_CONTAINER_LABEL is deprecated and will be removed; use BACKUP_STOP_DURING_BACKUP_LABEL");
  }
  VOLBACK_TRY_ASSIGN(out.service_timeout, settings.get_duration(k_stop_service_timeout));
  if (out.service_timeout.count() < 0) {
    return util::fail(util::Settings::invalid(k_stop_service_timeout, "negative", "must not be negative"));
  }
  VOLBACK_TRY_ASSIGN(out.exec_label, settings.get_optional(k_exec_label));
  VOLBACK_TRY_ASSIGN(out.exec_forward_output, settings.get_bool(k_exec_forward_output));
  VOLBACK_TRY_ASSIGN(out.exec_timeout, settings.get_duration(k_exec_timeout));
  if (out.exec_timeout.count() < 0) {
    return util::fail(util::Settings::invalid(k_exec_timeout, "negative", "must not be negative"));
  }
  return out;
}

}  // namespace volback::docker
