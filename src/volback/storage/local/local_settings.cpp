#include <volback/storage/local/local_settings.hpp>

#include <sys/stat.h>

#include <array>
#include <cerrno>

#include <fmt/format.h>

#include <volback/storage/partial_name.hpp>

namespace volback::storage::local {

namespace {

constexpr std::array k_local_specs{k_backup_archive, k_backup_latest_symlink};

}  // namespace

std::span<const util::SettingSpec> local_setting_specs() {
  return k_local_specs;
}

util::Result<std::optional<LocalSettings>> parse_local_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(std::string directory, settings.get_string(k_backup_archive));
  VOLBACK_TRY_ASSIGN(std::optional<std::string> latest, settings.get_optional(k_backup_latest_symlink));

  if (latest) {
    if (latest->find('/') != std::string::npos || *latest == "." || *latest == ".." ||
        latest->find('\0') != std::string::npos) {
      return util::fail(
        util::Settings::invalid(k_backup_latest_symlink, *latest, "must be a plain file name without '/'"));
    }
    // Such names are the local backend's temporary files, which cleanup removes.
    if (latest->starts_with(k_partial_prefix)) {
      return util::fail(util::Settings::invalid(k_backup_latest_symlink, *latest,
                                                fmt::format("must not start with {}", k_partial_prefix)));
    }
  }

  // stat, not lstat: a symlink to a directory is a fine archive location.
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return std::optional<LocalSettings>();
    }
    return util::fail(util::errno_error(errno, "stat " + directory).with_context(k_backup_archive.name));
  }
  if (!S_ISDIR(st.st_mode)) {
    return util::fail(util::Settings::invalid(k_backup_archive, directory, "is not a directory"));
  }
  return std::optional<LocalSettings>(LocalSettings{std::move(directory), std::move(latest)});
}

}  // namespace volback::storage::local
