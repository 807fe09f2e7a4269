#pragma once
// The SSH/SFTP backend's settings: offen's SSH_* variables (each also takes NAME_FILE)
// and volback's additions (SSH_KNOWN_HOSTS_FILE, the retry budget). The backend is
// active when SSH_HOST_NAME is set.

#include <optional>
#include <span>
#include <string>

#include <volback/storage/retry_policy.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::sftp {

inline constexpr util::SettingSpec k_ssh_host_name{"SSH_HOST_NAME", "", util::Secret::no,
                                                   "Host of the SFTP server; setting it enables the SSH backend."};
inline constexpr util::SettingSpec k_ssh_port{"SSH_PORT", "22", util::Secret::no, "Port of the SSH server."};
inline constexpr util::SettingSpec k_ssh_user{"SSH_USER", "", util::Secret::no, "User to log in as."};
inline constexpr util::SettingSpec k_ssh_password{"SSH_PASSWORD", "", util::Secret::yes,
                                                  "Password, for password authentication."};
inline constexpr util::SettingSpec k_ssh_identity_file{
  "SSH_IDENTITY_FILE", "/root/.ssh/id_rsa", util::Secret::no,
  "Private key (ed25519, ECDSA or RSA, OpenSSH or PEM format) for public key authentication; used when the file "
  "exists."};
inline constexpr util::SettingSpec k_ssh_identity_passphrase{"SSH_IDENTITY_PASSPHRASE", "", util::Secret::yes,
                                                             "Passphrase of an encrypted private key."};
inline constexpr util::SettingSpec k_ssh_remote_path{
  "SSH_REMOTE_PATH", "", util::Secret::no,
  "Directory on the server for the backups (relative to the login directory unless it starts with /); created if "
  "missing."};
inline constexpr util::SettingSpec k_ssh_known_hosts_file{
  "SSH_KNOWN_HOSTS_FILE", "", util::Secret::no,
  "OpenSSH known_hosts file (hashed entries allowed) that must list the server's host key. Unset: the key seen "
  "first is pinned in VOLBACK_STATE_DIR/ssh-known-hosts and must not change."};
inline constexpr util::SettingSpec k_ssh_upload_connections{
  "SSH_UPLOAD_CONNECTIONS", "", util::Secret::no,
  "SSH connections that write one upload at once (1 to 8), each 2 MiB at a time at its offset. Unset: one per "
  "core, up to 4, as far as the memory plan's part buffers allow."};
inline constexpr util::SettingSpec k_ssh_retry_attempts{
  "SSH_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per SFTP operation (connecting, listing, ...) for transient errors; 1 disables retries."};
inline constexpr util::SettingSpec k_ssh_retry_max_time{
  "SSH_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: an SFTP operation is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> sftp_setting_specs();

struct SftpSettings {
  std::string host;
  unsigned port = 22;
  std::string user;
  std::string password;       // empty: no password authentication
  std::string identity_file;  // tried when it exists
  std::string passphrase;
  std::string remote_path;  // without a trailing '/'; "" is the login directory
  std::optional<std::string> known_hosts_file;
  unsigned upload_connections = 0;  // 0: planned (sftp_upload.hpp)
  RetryPolicy retry;
};

// Reads the settings. nullopt when SSH_HOST_NAME is unset (the backend is off).
// Errors (invalid_argument, naming the variable): a port outside 1..65535, no SSH_USER,
// SSH_KNOWN_HOSTS_FILE that cannot be read, retry settings out of range, and Settings'
// own errors.
util::Result<std::optional<SftpSettings>> parse_sftp_settings(const util::Settings& settings);

}  // namespace volback::storage::sftp
