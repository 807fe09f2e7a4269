#include <volback/app/config/backup_config.hpp>

#include <fmt/format.h>

#include <volback/app/config/archive_name.hpp>
#include <volback/app/config/offen_variables.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/storage/local/local_settings.hpp>
#include <volback/storage/registry/registry.hpp>
#include <volback/util/env_expand.hpp>

namespace volback::app {

namespace {

// BACKUP_FILENAME_EXPAND: $VAR references in the names taken from settings, the
// backends' among them (BACKUP_LATEST_SYMLINK).
storage::NameExpander name_expander(const BackupConfig& config, const util::Settings& settings) {
  if (!config.run.expand_filename) {
    return [](const std::string& name) { return name; };
  }
  return [&settings](const std::string& name) {
    return util::expand_env(name, [&settings](std::string_view variable) { return settings.raw(variable); });
  };
}

// Renders the file name once now, so that a bad template fails before anything runs,
// and bounds its longest expansion: a name that only some dates make too long (%A is
// "Wednesday", %B "September") fails now, not on that date.
util::Result<void> check_filename(const BackupConfig& config) {
  const auto extension = config.stream().extension();
  const auto suffix = config.stream().name_suffix();  // ".gpg", appended after rendering
  auto longest = max_archive_name_length(config.run.filename_template, extension);
  if (longest) {
    *longest += suffix.size();
  }
  if (longest && *longest > k_max_archive_name_bytes) {
    return util::fail(util::Settings::invalid(
      k_backup_filename, config.run.filename_template,
      fmt::format("the archive's file name can be {} bytes long (each strftime verb at its longest, with the "
                  "extension {}), more than the {} bytes a file name may have",
                  *longest, extension + suffix, k_max_archive_name_bytes)));
  }
  auto name = render_archive_name(config.run.filename_template, extension, util::CivilTime{});
  if (!name) {
    return util::fail(util::Settings::invalid(k_backup_filename, config.run.filename_template, name.error().message()));
  }
  return {};
}

}  // namespace

std::vector<std::span<const util::SettingSpec>> backup_setting_specs() {
  std::vector<std::span<const util::SettingSpec>> specs{
    run_setting_specs(), archive::archive_setting_specs(), compress::compression_setting_specs(),
    crypto::encryption_setting_specs(), crypto::decryption_setting_specs()};
  const auto backends = storage::backend_setting_specs();
  specs.insert(specs.end(), backends.begin(), backends.end());
  specs.insert(specs.end(), {repository_setting_specs(), retention::retention_setting_specs(), schedule_setting_specs(),
                             docker::docker_setting_specs(), notify::notify_setting_specs(),
                             notify::ping_setting_specs(), metrics_setting_specs(), drill_setting_specs()});
  return specs;
}

std::optional<std::string> BackupConfig::local_archive_directory() const {
  for (const auto& backend : backends) {
    if (auto dir = backend->local_directory()) {
      return dir;
    }
  }
  return std::nullopt;
}

std::string describe_backup_settings() {
  std::string out = "Environment variables (each also accepts NAME_FILE):\n";
  for (const auto specs : backup_setting_specs()) {
    for (const auto& spec : specs) {
      out += fmt::format("  {}", spec.name);
      if (!spec.default_value.empty()) {
        out += fmt::format(" (default: {})", spec.default_value);
      }
      out += fmt::format("\n      {}\n", spec.help);
    }
  }
  return out;
}

util::Result<BackupConfig> load_backup_config(const util::Settings& settings) {
  VOLBACK_TRY(refuse_unsupported(settings));
  BackupConfig config;
  VOLBACK_TRY_ASSIGN(config.run, parse_run_settings(settings));
  VOLBACK_TRY(parse_log_format(settings));
  VOLBACK_TRY_ASSIGN(config.archive, archive::parse_archive_settings(settings));
  VOLBACK_TRY_ASSIGN(config.compression, compress::parse_compression_settings(settings));
  VOLBACK_TRY_ASSIGN(config.encryption, crypto::parse_encryption_settings(settings));
  VOLBACK_TRY_ASSIGN(config.retention, retention::parse_retention_settings(settings));
  VOLBACK_TRY_ASSIGN(config.docker, docker::parse_docker_settings(settings));
  VOLBACK_TRY_ASSIGN(config.monitor, load_monitor_config(settings));
  VOLBACK_TRY_ASSIGN(config.drill, parse_drill_settings(settings, config.run.spool_dir, config.run.zone));
  const auto expand = name_expander(config, settings);
  config.run.filename_template = expand(config.run.filename_template);
  config.retention.prefix = expand(config.retention.prefix);
  VOLBACK_TRY_ASSIGN(config.backends, storage::parse_backends(settings, expand));
  VOLBACK_TRY_ASSIGN(config.repository, parse_repository_settings(settings));
  VOLBACK_TRY(check_filename(config));
  return config;
}

util::Result<BackupConfig> load_storage_config(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(auto config, load_backup_config(settings));
  if (config.backends.empty() && !config.repository) {
    VOLBACK_TRY_ASSIGN(const auto archive_dir, settings.get_string(storage::local::k_backup_archive));
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("no storage backend is configured: BACKUP_ARCHIVE ({}) does not exist "
                                  "and no remote backend is set",
                                  archive_dir));
  }
  return config;
}

util::Result<BackupConfig> load_repository_config(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(auto config, load_backup_config(settings));
  if (!config.repository) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "RESTIC_REPOSITORY is not set: it names the repository (a local path, s3:host/bucket/prefix, "
                      "sftp:user@host:/path or azure:container:/path)");
  }
  return config;
}

}  // namespace volback::app
