#include <volback/app/restore/repository_snapshot.hpp>

#include <volback/app/restore/snapshot_archive.hpp>
#include <volback/restic/archiver.hpp>
#include <volback/restic/snapshot_lookup.hpp>

namespace volback::app {

util::Result<std::unique_ptr<RepositorySnapshot>> RepositorySnapshot::open(const BackupConfig& config,
                                                                           std::string_view id_or_latest,
                                                                           const storage::BackendContext& context) {
  VOLBACK_TRY_ASSIGN(auto opened, open_configured_repository(*config.repository, context));
  std::unique_ptr<RepositorySnapshot> result(new RepositorySnapshot(std::move(opened)));
  auto& repository = result->m_repository.repository;
  VOLBACK_TRY_ASSIGN(const auto snapshots, restic::load_snapshots(repository));
  VOLBACK_TRY_ASSIGN(const auto found, restic::find_snapshot(snapshots, id_or_latest));
  VOLBACK_TRY_ASSIGN(result->m_index, restic::load_index(repository));
  result->m_snapshot = found.snapshot;
  result->m_name = "snapshot " + found.id.hex();
  result->m_where = "repository " + config.repository->location.describe;
  return result;
}

util::Result<std::unique_ptr<io::Source>> RepositorySnapshot::stream(const util::CancelToken& cancel) {
  return snapshot_archive_source(m_repository.repository, m_index, m_snapshot, cancel);
}

}  // namespace volback::app
