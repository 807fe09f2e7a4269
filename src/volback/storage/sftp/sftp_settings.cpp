#include <volback/storage/sftp/sftp_settings.hpp>

#include <array>

namespace volback::storage::sftp {

namespace {

constexpr std::array k_sftp_specs{
  k_ssh_host_name,
  k_ssh_port,
  k_ssh_user,
  k_ssh_password,
  k_ssh_identity_file,
  k_ssh_identity_passphrase,
  k_ssh_remote_path,
  k_ssh_known_hosts_file,
  k_ssh_upload_connections,
  k_ssh_retry_attempts,
  k_ssh_retry_max_time,
};

}  // namespace

std::span<const util::SettingSpec> sftp_setting_specs() {
  return k_sftp_specs;
}

util::Result<std::optional<SftpSettings>> parse_sftp_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto host, settings.get_optional(k_ssh_host_name));
  if (!host) {
    return std::optional<SftpSettings>();
  }
  SftpSettings out;
  out.host = *host;
  if (out.host.find_first_of(" /@") != std::string::npos) {
    return util::fail(util::Settings::invalid(k_ssh_host_name, out.host, "must be a host name or address"));
  }
  VOLBACK_TRY_ASSIGN(const auto port, settings.get_int(k_ssh_port, 1, 65535));
  out.port = static_cast<unsigned>(port);
  VOLBACK_TRY_ASSIGN(const auto user, settings.get_optional(k_ssh_user));
  if (!user) {
    return util::fail(util::ErrorKind::invalid_argument, "SSH_HOST_NAME is set, but SSH_USER is not");
  }
  out.user = *user;
  VOLBACK_TRY_ASSIGN(out.password, settings.get_string(k_ssh_password));
  VOLBACK_TRY_ASSIGN(out.identity_file, settings.get_string(k_ssh_identity_file));
  VOLBACK_TRY_ASSIGN(out.passphrase, settings.get_string(k_ssh_identity_passphrase));
  VOLBACK_TRY_ASSIGN(out.remote_path, settings.get_string(k_ssh_remote_path));
  while (out.remote_path.size() > 1 && out.remote_path.back() == '/') {
    out.remote_path.pop_back();
  }
  VOLBACK_TRY_ASSIGN(out.known_hosts_file, settings.get_optional(k_ssh_known_hosts_file));
  if (out.known_hosts_file) {
    if (auto readable = util::read_whole_file(*out.known_hosts_file); !readable) {
      return util::fail(util::Settings::invalid(k_ssh_known_hosts_file, *out.known_hosts_file,
                                                "cannot be read: " + readable.error().message()));
    }
  }
  VOLBACK_TRY_ASSIGN(const auto connections, settings.get_optional(k_ssh_upload_connections));
  if (connections) {
    VOLBACK_TRY_ASSIGN(const auto n, settings.get_int(k_ssh_upload_connections, 1, 8));
    out.upload_connections = static_cast<unsigned>(n);
  }
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_ssh_retry_attempts, k_ssh_retry_max_time));
  return std::optional<SftpSettings>(std::move(out));
}

}  // namespace volback::storage::sftp
