#include <volback/app/backup_config.hpp>

#include <fmt/format.h>

#include <volback/app/archive_name.hpp>
#include <volback/app/offen_variables.hpp>
#include <volback/app/schedule_settings.hpp>
#include <volback/util/env_expand.hpp>

namespace volback::app {

namespace {

void expand_names(BackupConfig& config, const util::Settings& settings) {
  const util::VariableLookup lookup = [&settings](std::string_view name) { return settings.raw(name); };
  config.run.filename_template = util::expand_env(config.run.filename_template, lookup);
  config.retention.prefix = util::expand_env(config.retention.prefix, lookup);
  if (config.local && config.local->latest_symlink) {
    config.local->latest_symlink = util::expand_env(*config.local->latest_symlink, lookup);
  }
}

// Renders the file name once now, so that a bad template fails before anything runs,
// and bounds its longest expansion: a name that only some dates make too long (%A is
// "Wednesday", %B "September") fails now, not on that date.
util::Result<void> check_filename(const BackupConfig& config) {
  const auto extension = compress::archive_extension(config.compression.codec);
  const auto longest = max_archive_name_length(config.run.filename_template, extension);
  if (longest && *longest > k_max_archive_name_bytes) {
    return util::fail(util::Settings::invalid(
      k_backup_filename, config.run.filename_template,
      fmt::format("the archive's file name can be {} bytes long (each strftime verb at its longest, with the "
                  "extension {}), more than the {} bytes a file name may have",
                  *longest, extension, k_max_archive_name_bytes)));
  }
  auto name = render_archive_name(config.run.filename_template, extension, util::CivilTime{});
  if (!name) {
    return util::fail(util::Settings::invalid(k_backup_filename, config.run.filename_template,
                                              name.error().message()));
  }
  return {};
}

}  // namespace

std::vector<std::span<const util::SettingSpec>> backup_setting_specs() {
  return {run_setting_specs(), archive::archive_setting_specs(), compress::compression_setting_specs(),
          storage::local::local_setting_specs(), storage::s3::s3_setting_specs(), retention::retention_setting_specs(),
          schedule_setting_specs(), docker::docker_setting_specs()};
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
  VOLBACK_TRY_ASSIGN(config.local, storage::local::parse_local_settings(settings));
  VOLBACK_TRY_ASSIGN(config.s3, storage::s3::parse_s3_settings(settings));
  VOLBACK_TRY_ASSIGN(config.retention, retention::parse_retention_settings(settings));
  VOLBACK_TRY_ASSIGN(config.docker, docker::parse_docker_settings(settings));
  if (config.run.expand_filename) {
    expand_names(config, settings);
  }
  VOLBACK_TRY(check_filename(config));
  if (!config.local && !config.s3) {
    VOLBACK_TRY_ASSIGN(const auto archive_dir, settings.get_string(storage::local::k_backup_archive));
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("no storage backend is configured: BACKUP_ARCHIVE ({}) does not exist "
                                  "and no remote backend is set, so the backup would be stored nowhere",
                                  archive_dir));
  }
  return config;
}

}  // namespace volback::app
