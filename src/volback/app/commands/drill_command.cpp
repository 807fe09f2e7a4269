#include <volback/app/commands/drill_command.hpp>

#include <chrono>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/monitor/run_monitors.hpp>
#include <volback/app/restore/list_backups.hpp>
#include <volback/app/restore/repository_snapshot.hpp>
#include <volback/app/restore/restore_drill.hpp>
#include <volback/app/run/locked_run.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/fs/random_name.hpp>
#include <volback/util/recording_logger.hpp>
#include <volback/util/terminal_text.hpp>

namespace volback::app {
namespace {

constexpr std::size_t k_drill_log_lines = 20;

// The backups to drill: `request.backup` on the backend named, or on each backend that
// holds it.
util::Result<std::vector<ResolvedBackup>> drill_targets(std::span<const std::unique_ptr<storage::Backend>> all,
                                                        const DrillRequest& request, std::string_view prefix,
                                                        util::Logger& log) {
  if (!request.backend.empty()) {
    VOLBACK_TRY_ASSIGN(auto chosen, resolve_backup(all, request.backend, request.backup, prefix, log));
    return std::vector<ResolvedBackup>{std::move(chosen)};
  }
  std::vector<ResolvedBackup> targets;
  for (const auto& backend : all) {
    auto chosen = resolve_backup(all, backend->name(), request.backup, prefix, log);
    if (chosen) {
      targets.push_back(std::move(*chosen));
    } else {
      log.warn("No backup to drill on this backend",
               {{"backend", std::string(backend->name())}, {"error", chosen.error().message()}});
    }
  }
  if (targets.empty()) {
    return util::fail(util::ErrorKind::not_found,
                      fmt::format("no backend holds the backup {:?} to drill", request.backup));
  }
  return targets;
}

// One backup to drill, from an archive backend or the repository.
struct DrillTarget {
  std::string name;
  std::string where;  // the backend's name, or "repository <location>"
  std::function<util::Result<std::unique_ptr<io::Source>>()> open;
  std::uint64_t stored_bytes = 0;  // 0: unknown
  Verify verify = Verify::yes;
  std::string checked_against = "the manifest";
};

DrillTarget archive_target(const ResolvedBackup& backup) {
  auto info = backup.backend->stat(backup.name);
  return {.name = backup.name,
          .where = std::string(backup.backend->name()),
          .open = [backend = backup.backend, name = backup.name]() { return backend->open(name); },
          .stored_bytes = info && *info ? (*info)->size : 0};
}

DrillTarget snapshot_target(RepositorySnapshot& snapshot, const util::CancelToken& cancel) {
  return {.name = snapshot.name(),
          .where = snapshot.where(),
          .open = [&snapshot, &cancel]() { return snapshot.stream(cancel); },
          .verify = Verify::no,
          .checked_against = "their blob ids"};
}

// Whether the drill takes the repository's snapshot: --backend repository, or no backend
// named and a repository configured.
bool drills_repository(const BackupConfig& config, const DrillRequest& request) {
  return config.repository && (request.backend.empty() || names_repository(request.backend));
}

ExitCode exit_code_of(const util::Error& error) {
  return error.kind() == util::ErrorKind::invalid_argument ? ExitCode::usage : ExitCode::failed;
}

class Drill {
 public:
  Drill(const BackupConfig& config, const CommandDeps& deps, const crypto::DecryptionKeys& keys, RunReport& report,
        std::string& text)
    : m_config(config), m_deps(deps), m_keys(keys), m_report(report), m_text(text) {}

  // Drills every target; the report and text say how each went.
  util::Result<void> run(const DrillRequest& request) {
    auto& log = m_deps.log;
    const auto backends = create_backends(m_config, log, m_deps.clock, m_deps.cancel);
    std::vector<DrillTarget> targets;
    std::unique_ptr<RepositorySnapshot> snapshot;
    const bool repository = drills_repository(m_config, request);
    if (!m_config.backends.empty() && !(repository && !request.backend.empty())) {
      VOLBACK_TRY_ASSIGN(const auto backups, drill_targets(backends, request, m_config.retention.prefix, log));
      for (const auto& backup : backups) {
        targets.push_back(archive_target(backup));
      }
    }
    if (repository) {
      VOLBACK_TRY_ASSIGN(snapshot, RepositorySnapshot::open(m_config, request.backup,
                                                            {log, m_deps.clock, m_deps.cancel, m_config.run.state_dir,
                                                             m_config.run.spool_dir}));
      targets.push_back(snapshot_target(*snapshot, m_deps.cancel));
    }
    const std::string id = fs::random_suffix(8);
    VOLBACK_TRY_ASSIGN(auto checks, m_deps.host.make_drill_checks(m_config, id));
    VOLBACK_TRY_ASSIGN(const auto checked, checks->prepare());
    const auto quiescer = m_deps.host.make_quiescer(m_config, {});
    return run_locked(m_config.run, *quiescer, log, m_deps.cancel, [&]() -> util::Result<void> {
      for (const auto& target : targets) {
        VOLBACK_TRY(drill_one(target, *checks, id, checked));
      }
      return {};
    });
  }

 private:
  util::Result<void> drill_one(const DrillTarget& target, DrillChecks& checks, const std::string& id,
                               const std::vector<std::string>& checked) {
    auto& log = m_deps.log;
    const std::string& backend = target.where;
    const auto start = m_deps.clock.now();
    log.info("Starting a restore drill",
             {{"name", target.name},
              {"backend", backend},
              {"checks", checked.empty() ? std::string("none") : fmt::format("{}", fmt::join(checked, ", "))}});
    BackendReport backend_report{.backend = backend};
    m_report.archive = target.name;
    const auto failed = [&](const std::string& what) {
      backend_report.error = util::Error(util::ErrorKind::permanent, what);
      backend_report.duration = m_deps.clock.now() - start;
      m_report.backends.push_back(backend_report);
      m_report.warnings.push_back(fmt::format("restore drill of {} on {} failed: {}", target.name, backend, what));
      if (!m_report.error) {
        m_report.error = util::Error(util::ErrorKind::permanent, m_report.warnings.back());
      }
      log.error("Restore drill failed", {{"name", target.name}, {"backend", backend}, {"error", what}});
      m_text += fmt::format("{} on {}: FAILED: {}\n", util::escape_for_terminal(target.name), backend,
                            util::escape_for_terminal(what));
    };
    auto source = target.open();
    if (!source) {
      failed(source.error().message());
      return {};
    }
    const DrillOptions options{.id = id,
                               .drill_dir = m_config.drill.dir,
                               .state_dir = m_config.run.state_dir,
                               .spill_dir = m_config.run.spool_dir,
                               .stored_bytes = target.stored_bytes,
                               .keys = &m_keys,
                               .verify = target.verify};
    auto outcome = run_restore_drill(**source, checks, options, log, m_deps.cancel);
    if (!outcome) {
      if (outcome.error().kind() == util::ErrorKind::cancelled) {
        return util::fail(outcome.error());
      }
      failed(outcome.error().message());
      return {};
    }
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    for (const auto& volume : outcome->restored.volumes) {
      files += volume.files;
      bytes += volume.bytes;
    }
    m_report.entries += files;
    m_report.archive_bytes += bytes;
    backend_report.bytes = bytes;
    for (const auto& check : outcome->checks) {
      const std::string seconds = fmt::format("{:.1f}", std::chrono::duration<double>(check.duration).count());
      log.log(
        check.passed ? util::LogLevel::info : util::LogLevel::error,
        check.passed ? "Application check passed" : "Application check failed",
        {{"container", check.container}, {"check", check.command}, {"seconds", seconds}, {"output", check.output}});
    }
    if (!outcome->passed) {
      failed(outcome->failure);
      return {};
    }
    backend_report.duration = m_deps.clock.now() - start;
    m_report.backends.push_back(backend_report);
    log.info("Restore drill passed", {{"name", target.name},
                                      {"backend", backend},
                                      {"files", std::to_string(files)},
                                      {"bytes", std::to_string(bytes)}});
    m_text += fmt::format("{} on {}: passed ({} files, {} bytes restored and checked against {})\n",
                          util::escape_for_terminal(target.name), backend, files, bytes, target.checked_against);
    for (const auto& check : outcome->checks) {
      m_text += fmt::format("  check of {}: passed: {}\n", check.container, util::escape_for_terminal(check.output));
    }
    return {};
  }

  const BackupConfig& m_config;
  const CommandDeps& m_deps;
  const crypto::DecryptionKeys& m_keys;
  RunReport& m_report;
  std::string& m_text;
};

}  // namespace

DrillCommandResult run_drill(const ScheduleConfig& schedule, const CommandDeps& outer, const DrillRequest& request,
                             MetricsStore* metrics) {
  const util::Settings& settings = schedule.settings();
  const util::TimeZone zone = zone_or_default(settings);
  util::RecordingLogger recorder(outer.log, outer.clock, zone);
  const CommandDeps deps{recorder, outer.clock, outer.cancel, outer.host};
  DrillCommandResult result;
  RunReport& report = result.report;
  report =
    RunReport{.command = "drill", .schedule = schedule.key(), .source = schedule.source(), .start = deps.clock.now()};
  const auto usage = [&](const util::Error& error) {
    deps.log.error(error.message());
    report.exit_code = ExitCode::usage;
    report.error = error;
  };
  auto config = load_storage_config(settings);
  std::optional<RunMonitors> monitors;
  std::string state_dir = settings.get_string(k_state_dir).value_or(std::string(k_state_dir.default_value));
  if (!config) {
    usage(config.error());
  } else if (auto keys = crypto::DecryptionKeys::load(settings, request.identity); !keys) {
    usage(keys.error());
  } else {
    state_dir = config->run.state_dir;
    monitors.emplace(config->monitor, settings, zone, MonitorDeps{outer.log, outer.clock, metrics});
    notify_run_started(monitors->listeners(), RunStart{report.schedule, report.source, report.start});
    Drill drill(*config, deps, *keys, report, result.text);
    if (auto done = drill.run(request); !done) {
      deps.log.error("The restore drill could not run", {{"error", done.error().message()}});
      report.exit_code = exit_code_of(done.error());
      report.error = done.error();
    } else if (report.error) {
      report.exit_code = ExitCode::failed;
    }
  }
  report.end = deps.clock.now();
  report.cancelled = deps.cancel.requested() || (report.error && report.error->kind() == util::ErrorKind::cancelled);
  report.log_output = recorder.text();
  report.log_tail = recorder.last_lines(k_drill_log_lines);
  HistoryListener history(state_dir, outer.log);
  RunListener* const first[] = {&history};
  notify_run_finished(first, report);
  if (monitors) {
    notify_run_finished(monitors->listeners(), report);
  }
  return result;
}

}  // namespace volback::app
