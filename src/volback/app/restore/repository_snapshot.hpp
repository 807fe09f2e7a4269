#pragma once
// A snapshot of the configured restic-format repository, opened for reading as the archive
// stream that restore and the drill read (snapshot_archive.hpp).

#include <memory>
#include <string>
#include <string_view>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/io/source.hpp>
#include <volback/restic/blob_index.hpp>
#include <volback/restic/snapshot.hpp>
#include <volback/storage/backend_config.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class RepositorySnapshot {
 public:
  // Opens the repository of `config` (which must have one), loads its snapshots and index
  // and picks `id_or_latest` (restic/snapshot_lookup.hpp's find_snapshot). Errors: those
  // of open_configured_repository, not_found for no such snapshot, invalid_argument for an
  // ambiguous id.
  static util::Result<std::unique_ptr<RepositorySnapshot>> open(const BackupConfig& config,
                                                                std::string_view id_or_latest,
                                                                const storage::BackendContext& context);

  // "snapshot <id>" and "repository <location>", for logs and reports.
  const std::string& name() const { return m_name; }
  const std::string& where() const { return m_where; }

  // The snapshot as an archive stream (snapshot_archive.hpp); restore it with Verify::no.
  // The stream must not outlive this object.
  util::Result<std::unique_ptr<io::Source>> stream(const util::CancelToken& cancel);

 private:
  RepositorySnapshot(OpenedRepository repository) : m_repository(std::move(repository)) {}

  OpenedRepository m_repository;
  restic::BlobIndex m_index;
  restic::Snapshot m_snapshot;
  std::string m_name;
  std::string m_where;
};

}  // namespace volback::app
