#pragma once
// The Docker settings: where the daemon is, and which containers and services a run
// stops (offen's variables, section 1.8 of its reference).

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/docker/http_api.hpp>
#include <volback/docker/stop_plan.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::docker {

inline constexpr util::SettingSpec k_docker_host{
  "DOCKER_HOST", "", util::Secret::user_info,
  "Docker endpoint: unix:///path or tcp://host:port (unset: /var/run/docker.sock when it exists)."};
inline constexpr util::SettingSpec k_docker_cert_path{
  "DOCKER_CERT_PATH", "", util::Secret::no,
  "Directory with ca.pem, cert.pem and key.pem: HTTPS with a client certificate to a tcp:// DOCKER_HOST."};
inline constexpr util::SettingSpec k_docker_tls_verify{
  "DOCKER_TLS_VERIFY", "", util::Secret::no,
  "Any value: verify the daemon's certificate against DOCKER_CERT_PATH/ca.pem (needs DOCKER_CERT_PATH)."};
inline constexpr util::SettingSpec k_docker_api_version{
  "DOCKER_API_VERSION", "", util::Secret::no, "Engine API version to speak (unset: negotiated with the daemon)."};
inline constexpr util::SettingSpec k_stop_during_backup_label{
  "BACKUP_STOP_DURING_BACKUP_LABEL", "true", util::Secret::no,
  "Containers/services labelled docker-volume-backup.stop-during-backup=<this> are stopped and restarted."};
inline constexpr util::SettingSpec k_stop_during_backup_no_restart_label{
  "BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL", "true", util::Secret::no,
  "Containers labelled docker-volume-backup.stop-during-backup-no-restart=<this> are stopped, never restarted."};
inline constexpr util::SettingSpec k_stop_container_label{"BACKUP_STOP_CONTAINER_LABEL", "", util::Secret::no,
                                                          "Deprecated alias of BACKUP_STOP_DURING_BACKUP_LABEL."};
inline constexpr util::SettingSpec k_stop_service_timeout{
  "BACKUP_STOP_SERVICE_TIMEOUT", "5m", util::Secret::no,
  "How long to wait for scaled-down Swarm services to have no running task (Go duration)."};

inline constexpr util::SettingSpec k_exec_label{
  "EXEC_LABEL", "", util::Secret::no,
  "Run exec-label commands only in containers labelled docker-volume-backup.exec-label=<this>."};
inline constexpr util::SettingSpec k_exec_forward_output{
  "EXEC_FORWARD_OUTPUT", "false", util::Secret::no,
  "Copy the output of exec-label commands to volback's stderr and stdout."};
inline constexpr util::SettingSpec k_exec_timeout{
  "EXEC_TIMEOUT", "30m", util::Secret::no,
  "Longest an exec-label command may run before its phase fails (Go duration; 0: no limit)."};

std::span<const util::SettingSpec> docker_setting_specs();

struct DockerSettings {
  std::optional<std::string> docker_host;
  std::optional<EndpointTls> tls;  // DOCKER_CERT_PATH set: used for a tcp:// DOCKER_HOST
  std::optional<std::string> api_version;
  StopLabelValues labels;
  std::chrono::nanoseconds service_timeout{};
  std::optional<std::string> exec_label;
  bool exec_forward_output = false;
  std::chrono::nanoseconds exec_timeout{};
  std::vector<std::string> warnings;  // deprecations to log
};

// Reads and validates the Docker settings (invalid_argument naming the variable).
// DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem as readable regular files;
// DOCKER_TLS_VERIFY without DOCKER_CERT_PATH is an error, DOCKER_CERT_PATH without
// DOCKER_TLS_VERIFY a warning (the daemon's certificate is then not checked, as in Docker).
// BACKUP_STOP_CONTAINER_LABEL is used, with a warning, when
// BACKUP_STOP_DURING_BACKUP_LABEL is not set; both set to different values is an error.
util::Result<DockerSettings> parse_docker_settings(const util::Settings& settings);

}  // namespace volback::docker
