#pragma once
// The archive settings (offen's BACKUP_SOURCES and BACKUP_EXCLUDE_REGEXP) and their
// parsing. What is done with them is archiver.hpp's business.

#include <optional>
#include <span>
#include <string>

#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::archive {

inline constexpr util::SettingSpec k_backup_sources{
  "BACKUP_SOURCES", "/backup", util::Secret::no,
  "The directory whose whole tree is archived (one path; mount several volumes below it)."};

inline constexpr util::SettingSpec k_backup_exclude_regexp{
  "BACKUP_EXCLUDE_REGEXP", "", util::Secret::no,
  "Go regular expression matched against the absolute path of every entry; matching entries "
  "are skipped, and a matching directory is skipped with everything below it."};

inline constexpr util::SettingSpec k_tar_sparse{
  "VOLBACK_TAR_SPARSE", "false", util::Secret::no,
  "true stores sparse files with PAX sparse 1.0 maps (holes cost nothing, but BusyBox tar "
  "extracts them wrongly); false stores them dense, which every tar reads, and volback's "
  "restore punches the holes again."};

inline constexpr util::SettingSpec k_tar_owner_names{
  "VOLBACK_TAR_OWNER_NAMES", "false", util::Secret::no,
  "true records user and group names (from the backup container's /etc/passwd) next to the "
  "numeric owners; false records numeric owners only, which every restore maps the same way."};

// Every archive setting, for print-config. The span refers to static storage.
std::span<const util::SettingSpec> archive_setting_specs();

struct ArchiveSettings {
  // Absolute and lexically normalized ("." and ".." resolved, no repeated or trailing
  // slash except for "/" itself). Symlinks are not resolved.
  std::string source;
  // BACKUP_EXCLUDE_REGEXP when set and non-empty; known to compile.
  std::optional<std::string> exclude_pattern;
  // VOLBACK_TAR_SPARSE and VOLBACK_TAR_OWNER_NAMES; see archiver.hpp's ArchiveOptions.
  bool sparse = false;
  bool owner_names = false;
};

// Reads and checks the archive settings. A relative BACKUP_SOURCES is made absolute
// against the current directory. Errors (all invalid_argument, naming the variable):
//   invalid value "/x" for BACKUP_SOURCES: no such directory
//   invalid value "/x" for BACKUP_SOURCES: not a directory
//   invalid value "/x" for BACKUP_SOURCES: <strerror> (stat failed otherwise)
//   invalid value "(" for BACKUP_EXCLUDE_REGEXP: <RE2's message>
//   invalid value "x" for VOLBACK_TAR_SPARSE (and VOLBACK_TAR_OWNER_NAMES): not a boolean
// plus any error of Settings::lookup (NAME and NAME_FILE both set, unreadable NAME_FILE).
// The source is stat()ed, so a symlink to a directory is accepted.
util::Result<ArchiveSettings> parse_archive_settings(const util::Settings& settings);

// Lexically normalizes `path` like Go's filepath.Clean, after joining a relative path
// to `cwd`. Pure; exposed for tests. REQUIRES: `cwd` is absolute.
std::string absolute_clean_path(std::string_view path, std::string_view cwd);

}  // namespace volback::archive
