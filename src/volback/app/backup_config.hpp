#pragma once
// The validated configuration of one backup run, assembled from the settings that each
// module declares and parses itself. Loading it is the first thing a run does: an
// invalid value fails here, before any lock is taken or container stopped.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/app/run_settings.hpp>
#include <volback/archive/archive_settings.hpp>
#include <volback/compress/compression_settings.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/retention/retention_settings.hpp>
#include <volback/storage/local/local_settings.hpp>
#include <volback/storage/s3/s3_settings.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct BackupConfig {
  RunSettings run;
  archive::ArchiveSettings archive;
  compress::CompressionSettings compression;
  std::optional<storage::local::LocalSettings> local;  // nullopt: BACKUP_ARCHIVE does not exist
  std::optional<storage::s3::S3Settings> s3;           // nullopt: AWS_S3_BUCKET_NAME is unset
  retention::RetentionSettings retention;
  docker::DockerSettings docker;
};

// Every setting volback reads for a backup, grouped by the module that declares it.
std::vector<std::span<const util::SettingSpec>> backup_setting_specs();

// One line per backup setting, "NAME (default: X)" and its help, for `backup --help`.
std::string describe_backup_settings();

// Validates everything: unsupported offen variables first, then each module's settings,
// then that at least one storage backend is active. With BACKUP_FILENAME_EXPAND, $VAR
// references in BACKUP_FILENAME, BACKUP_LATEST_SYMLINK and BACKUP_PRUNING_PREFIX are
// expanded against the settings' sources. Errors are invalid_argument and name the
// variable.
util::Result<BackupConfig> load_backup_config(const util::Settings& settings);

}  // namespace volback::app
