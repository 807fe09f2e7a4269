#include <volback/app/backup_job.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/app/archive_name.hpp>
#include <volback/app/archive_route.hpp>
#include <volback/app/copy_object.hpp>
#include <volback/app/prune_backups.hpp>
#include <volback/app/run_lock.hpp>
#include <volback/app/spool.hpp>
#include <volback/app/write_archive.hpp>
#include <volback/fs/disk_usage.hpp>
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

util::Result<void> fail_if_none_stored(const BackupOutcome& outcome) {
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
  return storage::PutOptions{std::string(compress::content_type(m_config.compression.codec))};
}

util::Result<BackupOutcome> BackupJob::run() {
  auto& log = m_deps.log;
  VOLBACK_TRY_ASSIGN(const RunLock lock, RunLock::acquire(m_config.run.lock_file, m_config.run.lock_timeout,
                                                          log, m_deps.cancel));
  for (const auto& backend : m_backends) {
    VOLBACK_TRY(backend->remove_incomplete_uploads());
  }

  // The name's timestamp is taken once the run really starts, after the lock.
  const auto started = m_deps.clock.now();
  VOLBACK_TRY_ASSIGN(const std::string name,
                     render_archive_name(m_config.run.filename_template,
                                         compress::archive_extension(m_config.compression.codec),
                                         m_config.run.zone.civil(started)));

  VOLBACK_TRY_ASSIGN(const bool stopped, m_deps.quiescer.quiesce());
  ResumeGuard resume(m_deps.quiescer, log);
  const auto route = choose_route({.containers_stopped = stopped, .has_local_backend = local_backend() != nullptr});

  util::Result<BackupOutcome> stored = route == ArchiveRoute::stream_to_all  ? stream_to_all(name, resume)
                                       : route == ArchiveRoute::via_local_file ? via_local_file(name, resume)
                                                                                : via_spool(name, resume);
  const auto resumed = resume.resume();
  VOLBACK_TRY_ASSIGN(BackupOutcome outcome, std::move(stored));
  outcome.duration = m_deps.clock.now() - started;
  outcome.exit_code = exit_code_of(outcome);
  if (!resumed) {
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  }

  std::vector<storage::Backend*> committed;
  for (std::size_t i = 0; i < m_backends.size(); ++i) {
    const auto& result = outcome.backends[i];
    if (result.error) {
      log.error(fmt::format("Storing the backup in {} failed", result.backend), {{"error", result.error->message()}});
    } else {
      committed.push_back(m_backends[i].get());
    }
  }
  if (auto pruned = prune_backups(committed, m_config.retention, m_deps.clock.now(), m_config.run.zone, log);
      !pruned) {
    log.error("Pruning old backups failed", {{"error", pruned.error().message()}});
    outcome.exit_code = worst(outcome.exit_code, ExitCode::failed);
  }
  return outcome;
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
  auto written =
    write_archive(m_config.archive, m_config.compression, std::move(own_files), tee, m_deps.log, m_deps.cancel);
  VOLBACK_TRY(resume.resume());  // sealed: the stream is complete
  VOLBACK_TRY_ASSIGN(auto archive, std::move(written));
  outcome.content = std::move(archive.content);
  outcome.size = archive.compressed_bytes;

  auto tee_outcomes = tee.outcomes();
  std::size_t next_branch = 0;
  for (std::size_t i = 0; i < m_backends.size(); ++i) {
    std::optional<util::Error> error = open_errors[i];
    if (!error) {
      error = tee_outcomes[next_branch++].error;
    }
    outcome.backends.push_back({std::string(m_backends[i]->name()), error});
  }
  log_content_problems(outcome.content, m_deps.log);
  VOLBACK_TRY(fail_if_none_stored(outcome));
  return outcome;
}

util::Result<BackupOutcome> BackupJob::via_local_file(const std::string& name, ResumeGuard& resume) {
  storage::Backend& local = *local_backend();
  BackupOutcome outcome;
  outcome.archive_name = name;
  {
    VOLBACK_TRY_ASSIGN(auto upload, local.begin_upload(name, put_options()));
    std::vector<std::string> own_files;
    if (auto path = upload->local_path()) {
      own_files.push_back(std::move(*path));
    }
    VOLBACK_TRY_ASSIGN(auto archive, write_archive(m_config.archive, m_config.compression, std::move(own_files),
                                                   *upload, m_deps.log, m_deps.cancel));
    outcome.content = std::move(archive.content);
    outcome.size = archive.compressed_bytes;
  }
  VOLBACK_TRY(resume.resume());  // sealed: the archive is complete on local disk
  log_content_problems(outcome.content, m_deps.log);
  copy_to_backends([&local, &name] { return local.open(name); }, name, &local, outcome);
  return outcome;
}

util::Result<BackupOutcome> BackupJob::via_spool(const std::string& name, ResumeGuard& resume) {
  VOLBACK_TRY_ASSIGN(const std::uint64_t estimate, fs::disk_usage(m_config.archive.source));
  VOLBACK_TRY_ASSIGN(auto spool, Spool::create(m_config.run.spool_dir, estimate));
  BackupOutcome outcome;
  outcome.archive_name = name;
  VOLBACK_TRY_ASSIGN(auto archive, write_archive(m_config.archive, m_config.compression, {spool->path()},
                                                 spool->sink(), m_deps.log, m_deps.cancel));
  outcome.content = std::move(archive.content);
  outcome.size = archive.compressed_bytes;
  VOLBACK_TRY(resume.resume());  // sealed: the archive is complete in the spool
  log_content_problems(outcome.content, m_deps.log);
  copy_to_backends([&spool] { return spool->open(); }, name, nullptr, outcome);
  VOLBACK_TRY(fail_if_none_stored(outcome));
  return outcome;
}

void BackupJob::copy_to_backends(const SourceOpener& open, const std::string& name, const storage::Backend* skip,
                                 BackupOutcome& outcome) {
  for (const auto& backend : m_backends) {
    if (backend.get() == skip) {
      outcome.backends.push_back({std::string(backend->name()), std::nullopt});
      continue;
    }
    auto copied = [&]() -> util::Result<storage::ObjectInfo> {
      VOLBACK_TRY_ASSIGN(auto source, open());
      return copy_object(*source, *backend, name, put_options(), m_deps.cancel);
    }();
    outcome.backends.push_back(
      {std::string(backend->name()), copied ? std::nullopt : std::optional<util::Error>(copied.error())});
  }
}

}  // namespace volback::app
