#pragma once
// The local backend's settings (offen's BACKUP_ARCHIVE and BACKUP_LATEST_SYMLINK).

#include <optional>
#include <span>
#include <string>

#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::local {

inline constexpr util::SettingSpec k_backup_archive{
  "BACKUP_ARCHIVE", "/archive", util::Secret::no,
  "Directory of the local backend; the backend is used only when it exists at run time."};

inline constexpr util::SettingSpec k_backup_latest_symlink{
  "BACKUP_LATEST_SYMLINK", "", util::Secret::no,
  "Name of a symlink in BACKUP_ARCHIVE that is pointed at the newest backup."};

// The settings above, for print-config.
std::span<const util::SettingSpec> local_setting_specs();

struct LocalSettings {
  std::string directory;
  // A plain file name inside `directory`, or nullopt for no symlink.
  std::optional<std::string> latest_symlink;
};

// Reads the local backend's settings. Returns nullopt when BACKUP_ARCHIVE does not
// exist: as in offen, the local backend is active iff its directory exists at run time
// (a symlink to a directory counts). The values are taken as they are; BACKUP_FILENAME_EXPAND's
// $VAR expansion of BACKUP_LATEST_SYMLINK is the caller's business.
// Errors: invalid_argument naming BACKUP_ARCHIVE when the path exists but is not a
// directory, naming BACKUP_LATEST_SYMLINK when it is not a plain file name (contains '/',
// is "." or ".."); the kind util::errno_error gives when the path cannot be examined
// (EACCES: permanent); Settings errors unchanged.
util::Result<std::optional<LocalSettings>> parse_local_settings(const util::Settings& settings);

}  // namespace volback::storage::local
