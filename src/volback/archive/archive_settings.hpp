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

// Every archive setting, for print-config. The span refers to static storage.
std::span<const util::SettingSpec> archive_setting_specs();

struct ArchiveSettings {
  // Absolute and lexically normalized ("." and ".." resolved, no repeated or trailing
  // slash except for "/" itself). Symlinks are not resolved.
  std::string source;
  // BACKUP_EXCLUDE_REGEXP when set and non-empty; known to compile.
  std::optional<std::string> exclude_pattern;
};

// Reads and checks the archive settings. A relative BACKUP_SOURCES is made absolute
// against the current directory. Errors (all invalid_argument, naming the variable):
//   invalid value "/x" for BACKUP_SOURCES: no such directory
//   invalid value "/x" for BACKUP_SOURCES: not a directory
//   invalid value "/x" for BACKUP_SOURCES: <strerror> (stat failed otherwise)
//   invalid value "(" for BACKUP_EXCLUDE_REGEXP: <RE2's message>
// plus any error of Settings::lookup (NAME and NAME_FILE both set, unreadable NAME_FILE).
// The source is stat()ed, so a symlink to a directory is accepted.
util::Result<ArchiveSettings> parse_archive_settings(const util::Settings& settings);

// Lexically normalizes `path` like Go's filepath.Clean, after joining a relative path
// to `cwd`. Pure; exposed for tests. REQUIRES: `cwd` is absolute.
std::string absolute_clean_path(std::string_view path, std::string_view cwd);

}  // namespace volback::archive
