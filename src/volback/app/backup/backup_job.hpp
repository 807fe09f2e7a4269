#pragma once
// One backup run, from the backends' leftovers to prune.
//
//   remove the backends' leftovers of interrupted runs → quiesce → archive → SEAL
//   (resume the stopped containers) → COMMIT (every backend has the archive) → prune
//
// With BACKUP_FROM_SNAPSHOT the sources are copied right after quiesce (snapshot.hpp),
// the containers are resumed right after the copy, and the archive is read from the copy
// under the sources' names; the copy is removed once the archive is written (or on the
// way out), and a killed run's copy at the start of the next run.
//
// REQUIRES: the caller holds the global run lock and has repaired what killed runs left
// (run/locked_run.hpp does both), so that the backends' leftovers belong to dead runs.
//
// The route of the archive stream (archive_route.hpp) depends on whether anything was
// stopped. Whatever happens after quiesce(), resume() runs exactly once, at the seal
// or on the way out.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/app/backup/prune_backups.hpp>
#include <volback/app/backup/spool.hpp>
#include <volback/app/backup/write_archive.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/phase_hooks.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/app/run/resume_guard.hpp>
#include <volback/archive/archiver.hpp>
#include <volback/io/source.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class Snapshot;
class TailingCopies;

// The services a run uses; each must outlive the job.
// Reads the backup `name` back from `backend` in full and checks it against its
// manifest: nullopt when it is intact, otherwise what is wrong. Errors: it could not be read.
using StoredBackupVerifier =
  std::function<util::Result<std::optional<std::string>>(storage::Backend& backend, const std::string& name)>;

struct BackupDeps {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  Quiescer& quiescer;
  PhaseHooks* hooks = nullptr;  // exec-label commands around the phases; null: none
  StoredBackupVerifier verify;  // for BACKUP_VERIFY_BEFORE_PRUNE; empty: not available
};

struct BackendResult {
  std::string backend;                  // Backend::name()
  std::optional<util::Error> error;     // nullopt: the backend committed the archive
  std::uint64_t bytes = 0;              // what it stored: the archive's size, or 0
  std::chrono::nanoseconds duration{};  // from the start of the archive until it had it (or failed)
};

struct BackupOutcome {
  std::string archive_name;
  std::uint64_t size = 0;               // compressed bytes
  std::chrono::nanoseconds duration{};  // from the start (after the lock) to the commit
  util::TimePoint started{};            // when the run held the lock (the filename timestamp)
  util::TimePoint finished{};           // after pruning, while the lock was still held
  archive::ArchiveReport content;
  std::vector<BackendResult> backends;
  Quiesced stopped;                     // what was stopped while the data was read
  std::chrono::nanoseconds downtime{};  // from stopping to the restart; 0 when nothing stopped
  std::string archive_path;             // the archive in the local backend's directory, if stored there
  std::vector<PruneStats> pruning;      // per backend pruned (empty when retention is off)
  std::string prune_refusal;            // why nothing was pruned (check_before_prune), or ""
  ExitCode exit_code = ExitCode::ok;    // ok, incomplete, partial or failed
};

class BackupJob {
 public:
  // `backends` are the active storage backends. With none, the archive goes to a spool
  // file that only the exec commands see (COMMAND_RUNTIME_ARCHIVE_FILEPATH), as offen
  // does when no storage is configured, and is removed at the end of the run.
  BackupJob(BackupConfig config, std::vector<std::unique_ptr<storage::Backend>> backends, BackupDeps deps);

  // Runs the backup. An error means no backend committed the archive (or the run could
  // not start); an outcome may still report exit codes 3 (incomplete), 4 (partial) or
  // 1 (a later phase such as resume or prune failed after the commit).
  util::Result<BackupOutcome> run();

 private:
  using SourceOpener = std::function<util::Result<std::unique_ptr<io::Source>>()>;

  util::Result<BackupOutcome> stream_to_all(const std::string& name, ResumeGuard& resume);
  util::Result<BackupOutcome> via_local_file(const std::string& name, ResumeGuard& resume);
  util::Result<BackupOutcome> via_spool(const std::string& name, ResumeGuard& resume);
  // Uploads the sealed archive to every backend except `skip`, recording each result.
  // One result per backend, in order, after the seal: `skip` (the local backend) stored
  // the archive itself, the tailing copies report theirs, and every other backend (one
  // that takes no live stream, or all of them when nothing tailed) uploads the complete
  // file from `open` now.
  void collect_copies(TailingCopies& copies, const SourceOpener& open, const std::string& name, std::uint64_t size,
                      const storage::Backend* skip, BackupOutcome& outcome);
  storage::Backend* local_backend() const;
  // Why pruning must not follow this run, or nullopt: check_before_prune, then with
  // BACKUP_VERIFY_BEFORE_PRUNE a full verification from the local backend (else the first
  // that committed). Errors: a backend that could not be asked for the check.
  util::Result<std::optional<std::string>> reason_not_to_prune(const BackupOutcome& outcome,
                                                               std::span<storage::Backend* const> committed) const;
  storage::PutOptions put_options() const;
  // What the manifest records about this run.
  ManifestRun manifest_run() const;
  // Whether an exec command runs after the seal (PhaseHooks::has_commands_after_seal);
  // false, with a warning, when that cannot be found out.
  bool commands_after_seal();
  // At the seal of a local or spool route: the commands see the sealed file from now
  // on, and the process and archive phases end (the copy phase goes on).
  util::Result<void> sealed(std::optional<std::string> archive_path);
  // BACKUP_FROM_SNAPSHOT: copies the sources (the exclusion applied) into `snapshot`.
  util::Result<void> fill_snapshot(Snapshot& snapshot);
  // write_archive of this run's sources (or of their snapshot) into `out`.
  util::Result<WrittenArchive> archive_into(io::Sink& out, std::vector<std::string> own_files);
  // The archive's content report, with what the snapshot could not copy before it.
  archive::ArchiveReport content_of(WrittenArchive& archive) const;

  BackupConfig m_config;
  std::vector<std::unique_ptr<storage::Backend>> m_backends;
  BackupDeps m_deps;
  // One backend's result now: its bytes and its time since the archive started.
  BackendResult backend_result(std::string_view backend, std::optional<util::Error> error, std::uint64_t size) const;

  PhaseTracker* m_phases = nullptr;     // the running run()'s phases
  Quiesced m_quiesced;                  // what the running run() stopped
  util::TimePoint m_archive_started{};  // when the running run() started writing the archive
  // The spool of the running run() (via_spool): kept until its last exec command ran.
  std::unique_ptr<Spool> m_spool;
  // The running run()'s snapshot (BACKUP_FROM_SNAPSHOT): where the archive reads the
  // sources from, and what could not be copied.
  std::optional<std::string> m_snapshot_path;
  archive::ArchiveReport m_snapshot_problems;
};

}  // namespace volback::app
