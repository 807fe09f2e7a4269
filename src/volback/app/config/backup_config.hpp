#pragma once
// The validated configuration of one backup run, assembled from the settings that each
// module declares and parses itself. Loading it is the first thing a run does: an
// invalid value fails here, before any lock is taken or container stopped.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/app/config/drill_settings.hpp>
#include <volback/app/config/monitor_config.hpp>
#include <volback/app/config/repository_settings.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/stream_chain.hpp>
#include <volback/archive/archive_settings.hpp>
#include <volback/compress/compression_settings.hpp>
#include <volback/crypto/encryption_settings.hpp>
#include <volback/docker/docker_settings.hpp>
#include <volback/retention/retention_settings.hpp>
#include <volback/storage/backend_config.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct BackupConfig {
  RunSettings run;
  archive::ArchiveSettings archive;
  compress::CompressionSettings compression;
  crypto::EncryptionSettings encryption;
  // The configured storage backends, in the registry's order (storage/registry): Local,
  // when BACKUP_ARCHIVE exists, first. Never empty once loaded.
  std::vector<std::shared_ptr<const storage::BackendConfig>> backends;
  // The restic-format repository every run also writes a snapshot to (RESTIC_REPOSITORY).
  std::optional<RepositorySettings> repository;
  retention::RetentionSettings retention;
  docker::DockerSettings docker;
  MonitorConfig monitor;  // notifications, pings, metrics
  DrillSettings drill;

  // The directory on this machine that receives the archives (the Local backend's), if
  // any backend keeps them here.
  std::optional<std::string> local_archive_directory() const;

  // The filters of the archive stream (compression, then encryption), which also give
  // the archive's extension and content type.
  StreamChain stream() const { return archive_stream_chain(compression, encryption); }
};

// Every setting volback reads for a backup (and for verify and restore: the decryption
// settings), grouped by the module that declares it.
std::vector<std::span<const util::SettingSpec>> backup_setting_specs();

// One line per backup setting, "NAME (default: X)" and its help, for `backup --help`.
std::string describe_backup_settings();

// Validates everything: unsupported offen variables first, then each module's settings
// (the notification templates included, monitor_config.hpp). No storage backend at all is
// valid for a backup, as in offen (the archive is then only for the exec commands). With
// BACKUP_FILENAME_EXPAND, $VAR references in BACKUP_FILENAME, BACKUP_LATEST_SYMLINK and
// BACKUP_PRUNING_PREFIX are expanded against the settings' sources. Errors are
// invalid_argument and name the variable.
util::Result<BackupConfig> load_backup_config(const util::Settings& settings);

// load_backup_config for the commands that read what the backends hold (list, verify,
// restore, prune): there, no storage backend is an invalid_argument error (a repository
// alone counts as one).
util::Result<BackupConfig> load_storage_config(const util::Settings& settings);

// load_backup_config for the repository's commands (init, snapshots, check): there,
// RESTIC_REPOSITORY must be set (else invalid_argument).
util::Result<BackupConfig> load_repository_config(const util::Settings& settings);

}  // namespace volback::app
