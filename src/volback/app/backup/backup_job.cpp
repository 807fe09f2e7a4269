#include <volback/app/backup/backup_job.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/app/backup/archive_route.hpp>
#include <volback/app/backup/copy_object.hpp>
#include <volback/app/backup/offen_lines.hpp>
#include <volback/app/backup/prune_backups.hpp>
#include <volback/app/backup/snapshot.hpp>
#include <volback/app/backup/spool.hpp>
#include <volback/app/backup/tailing_copies.hpp>
#include <volback/app/backup/write_archive.hpp>
#include <volback/app/config/archive_name.hpp>
#include <volback/app/run/restore_recovery.hpp>
#include <volback/fs/disk_usage.hpp>
#include <volback/fs/file_source.hpp>
#include <volback/io/tee_sink.hpp>

namespace volback::app {

namespace {

void log_content_problems(const archive::ArchiveReport& report, util::Logger& log) {
  if (report.unreadable.empty()) {
    return;
  }
  std::string files;
  for (const auto& problem : report.unreadable) {
    files += files.empty() ? "" : ", ";
    files += problem.path;
  }
  log.error(fmt::format("{} file(s) could not be read; the backup is incomplete", report.unreadable.size()),
            {{"files", files}});
}

ExitCode exit_code_of(const BackupOutcome& outcome) {
  ExitCode code = outcome.content.unreadable.empty() ? ExitCode::ok : ExitCode::incomplete;
  const bool any_failed = std::any_of(outcome.backends.begin(), outcome.backends.end(),
                                      [](const BackendResult& r) { return r.error.has_value(); });
  if (any_failed) {
    code = worst(code, ExitCode::partial);
  }
  return code;
}

bool streams(const storage::Backend& backend) {
  return backend.properties().streaming_upload;
}

// The backends a disk-first route uploads while the file grows: every one but `skip`
// that takes a live stream. The others upload the complete file after the seal.
std::vector<storage::Backend*> tailing_targets(const std::vector<std::unique_ptr<storage::Backend>>& backends,
                                               const storage::Backend* skip) {
  std::vector<storage::Backend*> out;
  for (const auto& backend : backends) {
    if (backend.get() != skip && streams(*backend)) {
      out.push_back(backend.get());
    }
  }
  return out;
}

// What a snapshot could not copy, as the archive walk reports its own problems.
archive::ArchiveReport problems_of(const fs::SnapshotReport& report) {
  archive::ArchiveReport problems;
  problems.vanished = report.vanished;
  for (const auto& problem : report.unreadable) {
    problems.unreadable.push_back({problem.path, problem.reason});
  }
  return problems;
}

util::Result<void> fail_if_none_stored(const BackupOutcome& outcome) {
  if (outcome.backends.empty()) {
    return {};  // no backend configured: the archive was for the exec commands only
  }
  const bool any_stored = std::any_of(outcome.backends.begin(), outcome.backends.end(),
                                      [](const BackendResult& r) { return !r.error.has_value(); });
  if (any_stored) {
    return {};
  }
  for (const auto& result : outcome.backends) {
    if (result.error) {
      return util::fail(result.error->with_context(fmt::format("storing the backup in {}", result.backend)));
    }
  }
  return util::fail(util::ErrorKind::permanent, "no storage backend accepted the backup");
}

}  // namespace

BackupJob::BackupJob(BackupConfig config, std::vector<std::unique_ptr<storage::Backend>> backends, BackupDeps deps)
  : m_config(std::move(config)), m_backends(std::move(backends)), m_deps(deps) {}

storage::Backend* BackupJob::local_backend() const {
  for (const auto& backend : m_backends) {
    if (backend->properties().local_disk) {
      return backend.get();
    }
  }
  return nullptr;
}

storage::PutOptions BackupJob::put_options() const {
  return storage::PutOptions{m_config.stream().content_type()};
}

ManifestRun BackupJob::manifest_run() const {
  return {.clock = &m_deps.clock, .spill_dir = m_config.run.spool_dir, .stopped_containers = m_quiesced.containers};
}

util::Result<BackupOutcome> BackupJob::run() {
  auto& log = m_deps.log;
  warn_unrecorded_leftovers(m_config.archive.source, log);
  sweep_snapshots(m_config.run.spool_dir, log);
  m_snapshot_path.reset();
  m_snapshot_problems = {};
  for (const auto& backend : m_backends) {
    // Leftovers of killed runs only cost space, and a backend that is really unusable
    // fails its upload below: a failing sweep warns and the run goes on.
    if (auto swept = backend->remove_incomplete_uploads(); !swept) {
      log.warn("Could not clean up the incomplete uploads of earlier runs",
               {{"backend", std::string(backend->name())}, {"error", swept.error().message()}});
    }
  }

  // The name's timestamp is taken once the run really starts, after the lock.
  const auto started = m_deps.clock.now();
  VOLBACK_TRY_ASSIGN(std::string name,
                     render_archive_name(m_config.run.filename_template, m_config.stream().extension(),
                                         m_config.run.zone.civil(started)));
  name += m_config.stream().name_suffix();  // ".gpg" or ".age", as offen appends it

  if (m_backends.empty()) {
    log.warn(
      "No storage backend is configured: the archive is only handed to the exec commands "
      "(COMMAND_RUNTIME_ARCHIVE_FILEPATH) and removed at the end of the run");
  }
  const bool archive_file_wanted = m_backends.empty() || commands_after_seal();

  // The spool (via_spool) lives until the last exec command has run, the phase tracker's
  // on the way out included: declared before it, it is destroyed after it.
  struct SpoolRelease {
    std::unique_ptr<Spool>& spool;
    ~SpoolRelease() { spool.reset(); }
  } spool_release{m_spool};
  // Phases and their exec-label commands (phase_hooks.hpp): pres before anything stops.
  PhaseTracker phases(m_deps.hooks, log);
  m_phases = &phases;
  VOLBACK_TRY(phases.begin(Phase::archive));
  VOLBACK_TRY(phases.begin(Phase::process));
  VOLBACK_TRY(phases.begin(Phase::copy));  // on every route, uploads start with the stream
  // Declared before `resume`: on the way out the containers restart before it is removed.
  std::unique_ptr<Snapshot> snapshot;
  const auto quiesce_started = m_deps.clock.now();
  VOLBACK_TRY_ASSIGN(m_quiesced, m_deps.quiescer.quiesce());
  ResumeGuard resume(m_deps.quiescer, log, &m_deps.clock);
  if (m_config.run.from_snapshot) {
    VOLBACK_TRY_ASSIGN(snapshot, Snapshot::create(m_config.run.spool_dir, log));
    // On failure `resume` restarts the containers before `snapshot` removes the partial copy.
    VOLBACK_TRY(fill_snapshot(*snapshot));
    VOLBACK_TRY(resume.resume());  // the containers were down for the copy only
    log.info(fmt::format("Archiving the snapshot `{}` as `{}`.", snapshot->path(), m_config.archive.source));
  }
  m_archive_started = m_deps.clock.now();
  // Once the snapshot is taken, nothing stopped waits for the archive.
  const auto route = choose_route({.containers_stopped = m_quiesced.any() && !snapshot,
                                   .has_local_backend = local_backend() != nullptr,
                                   .every_backend_streams = std::all_of(m_backends.begin(), m_backends.end(),
                                                                        [](const auto& b) { return streams(*b); }),
                                   .archive_file_wanted = archive_file_wanted});

  util::Result<BackupOutcome> stored = route == ArchiveRoute::stream_to_all    ? stream_to_all(name, resume)
                                       : route == ArchiveRoute::via_local_file ? via_local_file(name, resume)
                                                                               : via_spool(name, resume);
  snapshot.reset();  // the archive is written (and stored): the copy goes before pruning
  m_snapshot_path.reset();
  const auto resumed = resume.resume();
  const auto posted = phases.finish();  // the posts of the phases still open, latest first
  VOLBACK_TRY_ASSIGN(BackupOutcome outcome, std::move(stored));
  outcome.duration = m_deps.clock.now() - started;
  outcome.started = started;
  outcome.stopped = m_quiesced;
  if (m_quiesced.any() && resume.resumed_at()) {
    outcome.downtime = *resume.resumed_at() - quiesce_started;
  }
  if (const auto dir = m_config.local_archive_directory()) {
    const storage::Backend* local = local_backend();
    for (std::size_t i = 0; i < m_backends.size(); ++i) {
      if (m_backends[i].get() == local && !outcome.backends[i].error) {
        outcome.archive_path = *dir + "/" + outcome.archive_name;
      }
    }
  }
  outcome.exit_code = exit_code_of(outcome);
  if (!resumed || !posted) {
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  }

  log_archive_created(m_config, outcome.archive_path.empty() ? outcome.archive_name : outcome.archive_path,
                      outcome.size, outcome.content.entries, log);
  std::vector<storage::Backend*> committed;
  for (std::size_t i = 0; i < m_backends.size(); ++i) {
    const auto& result = outcome.backends[i];
    if (result.error) {
      log.error(fmt::format("Storing the backup in {} failed", result.backend), {{"error", result.error->message()}});
      continue;
    }
    log_archive_stored(*m_backends[i], outcome.archive_name, log);
    committed.push_back(m_backends[i].get());
  }
  auto guard = reason_not_to_prune(outcome, committed);
  if (auto pre = phases.begin(Phase::prune); !pre) {
    log.error("Pruning old backups skipped", {{"error", pre.error().message()}});
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  } else if (!guard) {
    log.error("Pruning old backups failed", {{"error", guard.error().message()}});
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  } else if (*guard) {
    log.warn("Not pruning old backups: " + **guard);
    outcome.prune_refusal = **guard;
    outcome.exit_code = worst(outcome.exit_code, ExitCode::incomplete);
  } else if (auto pruned = prune_backups(committed, m_config.retention, m_deps.clock.now(), m_config.run.zone, log);
             !pruned) {
    log.error("Pruning old backups failed", {{"error", pruned.error().message()}});
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  } else {
    outcome.pruning = std::move(*pruned);
  }
  if (!phases.end(Phase::prune)) {
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  }
  outcome.finished = m_deps.clock.now();
  return outcome;
}

util::Result<std::optional<std::string>> BackupJob::reason_not_to_prune(
  const BackupOutcome& outcome, std::span<storage::Backend* const> committed) const {
  if (!m_config.retention.enabled()) {
    return std::nullopt;
  }
  VOLBACK_TRY_ASSIGN(auto refusal,
                     check_before_prune(committed, m_config.retention, outcome.archive_name, outcome.size));
  if (refusal || !m_config.retention.verify_before_prune || committed.empty()) {
    return refusal;
  }
  if (!m_deps.verify) {
    return std::optional<std::string>("BACKUP_VERIFY_BEFORE_PRUNE is set, but this run cannot verify backups");
  }
  const auto local = std::find(committed.begin(), committed.end(), local_backend());
  storage::Backend& from = local != committed.end() ? **local : *committed.front();
  m_deps.log.info("Verifying the new backup before pruning",
                  {{"name", outcome.archive_name}, {"backend", from.name()}});
  auto verified = m_deps.verify(from, outcome.archive_name);
  if (!verified) {
    return std::optional<std::string>(fmt::format("the new backup {} could not be read back from backend {}: {}",
                                                  outcome.archive_name, from.name(), verified.error().message()));
  }
  if (*verified) {
    return std::optional<std::string>(fmt::format("the new backup {} failed verification in backend {}: {}",
                                                  outcome.archive_name, from.name(), **verified));
  }
  return std::nullopt;
}

util::Result<BackupOutcome> BackupJob::stream_to_all(const std::string& name, ResumeGuard& resume) {
  BackupOutcome outcome;
  outcome.archive_name = name;
  std::vector<io::TeeSink::Branch> branches;
  std::vector<std::string> own_files;
  std::vector<std::optional<util::Error>> open_errors(m_backends.size());
  for (std::size_t i = 0; i < m_backends.size(); ++i) {
    auto upload = m_backends[i]->begin_upload(name, put_options());
    if (upload) {
      if (auto path = (*upload)->local_path()) {
        own_files.push_back(std::move(*path));
      }
      branches.push_back({std::string(m_backends[i]->name()), std::move(*upload)});
    } else {
      open_errors[i] = upload.error();
    }
  }
  io::TeeSink tee(std::move(branches));
  auto written = archive_into(tee, std::move(own_files));
  VOLBACK_TRY(resume.resume());  // sealed: the stream is complete
  VOLBACK_TRY_ASSIGN(auto archive, std::move(written));
  outcome.content = content_of(archive);
  outcome.size = archive.compressed_bytes;

  auto tee_outcomes = tee.outcomes();
  std::size_t next_branch = 0;
  for (std::size_t i = 0; i < m_backends.size(); ++i) {
    std::optional<util::Error> error = open_errors[i];
    if (!error) {
      error = tee_outcomes[next_branch++].error;
    }
    outcome.backends.push_back(backend_result(m_backends[i]->name(), error, outcome.size));
  }
  log_content_problems(outcome.content, m_deps.log);
  VOLBACK_TRY(fail_if_none_stored(outcome));
  return outcome;
}

util::Result<BackupOutcome> BackupJob::via_local_file(const std::string& name, ResumeGuard& resume) {
  storage::Backend& local = *local_backend();
  BackupOutcome outcome;
  outcome.archive_name = name;
  // The other backends upload the local file while it grows (tailing_copies.hpp).
  TailingCopies copies(tailing_targets(m_backends, &local), name, put_options(), m_deps.cancel);
  {
    VOLBACK_TRY_ASSIGN(auto upload, local.begin_upload(name, put_options()));
    std::vector<std::string> own_files;
    if (auto path = upload->local_path()) {
      copies.start(*path);
      own_files.push_back(std::move(*path));
    }
    VOLBACK_TRY_ASSIGN(auto archive, archive_into(*upload, std::move(own_files)));
    outcome.content = content_of(archive);
    outcome.size = archive.compressed_bytes;
  }
  copies.seal();
  VOLBACK_TRY(resume.resume());  // sealed: the archive is complete on local disk
  VOLBACK_TRY(sealed(m_config.local_archive_directory()
                       ? std::optional<std::string>(*m_config.local_archive_directory() + "/" + name)
                       : std::nullopt));
  log_content_problems(outcome.content, m_deps.log);
  collect_copies(
    copies, [&local, &name] { return local.open(name); }, name, outcome.size, &local, outcome);
  return outcome;
}

util::Result<BackupOutcome> BackupJob::via_spool(const std::string& name, ResumeGuard& resume) {
  VOLBACK_TRY_ASSIGN(const std::uint64_t estimate, fs::disk_usage(m_config.archive.source));
  VOLBACK_TRY_ASSIGN(m_spool, Spool::create(m_config.run.spool_dir, estimate));
  Spool* spool = m_spool.get();
  BackupOutcome outcome;
  outcome.archive_name = name;
  // Every backend uploads the spool while it grows; `copies` ends before the spool goes.
  TailingCopies copies(tailing_targets(m_backends, nullptr), name, put_options(), m_deps.cancel);
  copies.start(spool->path());
  VOLBACK_TRY_ASSIGN(auto archive, archive_into(spool->sink(), {spool->path()}));
  outcome.content = content_of(archive);
  outcome.size = archive.compressed_bytes;
  copies.seal();
  VOLBACK_TRY(resume.resume());  // sealed: the archive is complete in the spool
  VOLBACK_TRY(sealed(spool->path()));
  log_content_problems(outcome.content, m_deps.log);
  const std::string path = spool->path();
  collect_copies(
    copies, [&path]() -> util::Result<std::unique_ptr<io::Source>> { return fs::FileSource::open(path); }, name,
    outcome.size, nullptr, outcome);
  VOLBACK_TRY(fail_if_none_stored(outcome));
  return outcome;
}

util::Result<void> BackupJob::fill_snapshot(Snapshot& snapshot) {
  std::optional<archive::Exclusion> exclusion;
  if (m_config.archive.exclude_pattern) {
    VOLBACK_TRY_ASSIGN(exclusion, archive::Exclusion::compile(*m_config.archive.exclude_pattern));
  }
  VOLBACK_TRY(snapshot.copy(m_config.archive.source, exclusion ? &*exclusion : nullptr, m_deps.cancel));
  m_snapshot_path = snapshot.path();
  m_snapshot_problems = problems_of(snapshot.report());
  return {};
}

util::Result<WrittenArchive> BackupJob::archive_into(io::Sink& out, std::vector<std::string> own_files) {
  return write_archive(m_config.archive, m_config.compression, m_config.stream(), std::move(own_files), out, m_deps.log,
                       m_deps.cancel, manifest_run(), m_snapshot_path);
}

archive::ArchiveReport BackupJob::content_of(WrittenArchive& archive) const {
  archive::ArchiveReport content = std::move(archive.content);
  content.unreadable.insert(content.unreadable.begin(), m_snapshot_problems.unreadable.begin(),
                            m_snapshot_problems.unreadable.end());
  content.vanished.insert(content.vanished.begin(), m_snapshot_problems.vanished.begin(),
                          m_snapshot_problems.vanished.end());
  return content;
}

bool BackupJob::commands_after_seal() {
  if (m_deps.hooks == nullptr) {
    return false;
  }
  auto found = m_deps.hooks->has_commands_after_seal();
  if (!found) {
    m_deps.log.warn("Could not look for exec commands after the archive; streaming it",
                    {{"error", found.error().message()}});
    return false;
  }
  return *found;
}

util::Result<void> BackupJob::sealed(std::optional<std::string> archive_path) {
  m_phases->set_archive_path(std::move(archive_path));
  VOLBACK_TRY(m_phases->end(Phase::process));
  return m_phases->end(Phase::archive);
}

void BackupJob::collect_copies(TailingCopies& copies, const SourceOpener& open, const std::string& name,
                               std::uint64_t size, const storage::Backend* skip, BackupOutcome& outcome) {
  for (const auto& backend : m_backends) {
    std::optional<util::Error> error;
    if (backend.get() == skip) {
      // It stored the archive itself.
    } else if (copies.started() && streams(*backend)) {
      error = copies.result_for(backend.get());
    } else {
      auto options = put_options();
      options.size = size;
      auto copied = [&]() -> util::Result<storage::ObjectInfo> {
        VOLBACK_TRY_ASSIGN(auto source, open());
        return copy_object(*source, *backend, name, options, m_deps.cancel);
      }();
      if (!copied) {
        error = copied.error();
      }
    }
    outcome.backends.push_back(backend_result(backend->name(), std::move(error), size));
  }
}

BackendResult BackupJob::backend_result(std::string_view backend, std::optional<util::Error> error,
                                        std::uint64_t size) const {
  const std::uint64_t bytes = error ? 0 : size;
  return {std::string(backend), std::move(error), bytes, m_deps.clock.now() - m_archive_started};
}

}  // namespace volback::app
