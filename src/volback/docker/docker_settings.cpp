#include <volback/docker/docker_settings.hpp>

#include <array>

#include <fmt/format.h>

#include <volback/docker/api_version.hpp>
#include <volback/docker/http_api.hpp>

namespace volback::docker {

namespace {

constexpr std::array k_docker_specs{k_docker_host,
                                    k_docker_api_version,
                                    k_stop_during_backup_label,
                                    k_stop_during_backup_no_restart_label,
                                    k_stop_container_label,
                                    k_stop_service_timeout,
                                    k_exec_label,
                                    k_exec_forward_output,
                                    k_exec_timeout};

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
  for (const std::string_view tls : {"DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"}) {
    if (settings.raw(tls)) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("{} is not supported by volback: it speaks to Docker over a unix socket or "
                                    "plain tcp:// (e.g. a socket proxy), never TLS",
                                    tls));
    }
  }
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
