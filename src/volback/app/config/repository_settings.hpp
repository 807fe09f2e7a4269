#pragma once
// The restic-format repository of a run (RESTIC_REPOSITORY, RESTIC_PASSWORD and
// RESTIC_PASSWORD_FILE, as restic reads them): where it is and the password that opens it.
// The location takes restic's syntax and becomes a storage backend of the registry, with
// the credentials and options of that backend's own settings:
//
//   /srv/restic, local:/srv/restic                 the Local backend in that directory
//   s3:https://host[:port]/bucket[/prefix]         the S3 backend (AWS_ACCESS_KEY_ID, ...);
//   s3:host[:port]/bucket[/prefix]                 https unless AWS_ENDPOINT_PROTO says http
//   sftp:user@host:/path, sftp://user@host[:port]/path   the SFTP backend (SSH_* settings)
//   azure:container:/path                          the Azure backend (AZURE_STORAGE_*)
//
// A location's bucket, host, container and path take the place of the backend's own
// variables (AWS_S3_BUCKET_NAME, AWS_S3_PATH, SSH_HOST_NAME, ...), which may then configure
// the archive backend independently.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <volback/storage/backend_config.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

inline constexpr util::SettingSpec k_restic_repository{
  "RESTIC_REPOSITORY", "", util::Secret::user_info,
  "A restic-format repository that every backup run writes a deduplicated snapshot to (restic's syntax: a local "
  "path, s3:host/bucket/prefix, sftp:user@host:/path, azure:container:/path); see docs/restic-repository.md."};
inline constexpr util::SettingSpec k_restic_password{"RESTIC_PASSWORD", "", util::Secret::yes,
                                                     "Password of the repository (or RESTIC_PASSWORD_FILE)."};

inline constexpr util::SettingSpec k_restic_host{
  "RESTIC_HOST", "", util::Secret::no,
  "Host name the repository's snapshots record (default: the machine's). A backup's parent snapshot is the newest "
  "of the same host and paths, so give a container a stable hostname or set this."};

inline constexpr util::SettingSpec k_repository_lock_wait{
  "VOLBACK_REPOSITORY_LOCK_WAIT", "5m", util::Secret::no,
  "How long a run waits for a conflicting lock on the repository (restic's prune or check) to go before it fails."};

std::span<const util::SettingSpec> repository_setting_specs();

// A location in restic's syntax, split; the variables it implies for its backend.
struct RepositoryLocation {
  std::string backend;   // the registry's name: "Local", "S3", "SFTP", "Azure"
  std::string describe;  // for logs: the location without user info
  // The settings it implies (BACKUP_ARCHIVE, AWS_S3_BUCKET_NAME, ...), a top layer.
  std::map<std::string, std::string, std::less<>> implied;
};

// Parses `location`. Errors: invalid_argument naming RESTIC_REPOSITORY: a relative local
// path, an unknown or unsupported scheme (rest:, gs:, b2:, swift:, rclone:), a location
// without its bucket, host, container or path.
util::Result<RepositoryLocation> parse_repository_location(std::string_view location);

struct RepositorySettings {
  RepositoryLocation location;
  std::string password;
  std::string hostname;  // RESTIC_HOST, or the machine's host name
  std::chrono::milliseconds lock_wait{};
  std::shared_ptr<const storage::BackendConfig> storage;
};

// nullopt when RESTIC_REPOSITORY is unset. Errors: invalid_argument for a bad location, a
// missing or empty password, a negative lock wait, and the backend's own errors for its settings.
util::Result<std::optional<RepositorySettings>> parse_repository_settings(const util::Settings& settings);

}  // namespace volback::app
