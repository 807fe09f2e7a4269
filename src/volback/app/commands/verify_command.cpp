#include <volback/app/commands/verify_command.hpp>

#include <fmt/format.h>

#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/restore/list_backups.hpp>
#include <volback/app/restore/verify_backup.hpp>
#include <volback/crypto/decryption_keys.hpp>

namespace volback::app {

VerifyCommandResult run_verify_command(const util::Settings& settings, const CommandDeps& deps,
                                       const VerifyRequest& request) {
  auto& log = deps.log;
  const auto& cancel = deps.cancel;
  VerifyCommandResult result;
  auto config = load_storage_config(settings);
  if (!config) {
    log.error(config.error().message());
    result.exit_code = ExitCode::usage;
    return result;
  }
  const auto keys = crypto::DecryptionKeys::load(settings, request.identity);
  if (!keys) {
    log.error(keys.error().message());
    result.exit_code = ExitCode::usage;
    return result;
  }
  auto all = create_backends(*config, log, deps.clock, cancel);
  auto chosen = resolve_backup(all, request.backend, request.backup, config->retention.prefix, log);
  if (!chosen) {
    log.error(chosen.error().message());
    result.exit_code = chosen.error().kind() == util::ErrorKind::invalid_argument ? ExitCode::usage : ExitCode::failed;
    return result;
  }
  const std::string backend_name(chosen->backend->name());
  log.info("Verifying backup", {{"name", chosen->name}, {"backend", backend_name}});
  auto source = chosen->backend->open(chosen->name);
  if (!source) {
    log.error("Verification failed", {{"name", chosen->name}, {"error", source.error().message()}});
    result.exit_code = ExitCode::failed;
    return result;
  }
  auto report = verify_archive(**source, cancel, config->run.spool_dir, *keys);
  if (!report) {
    log.error("Verification failed: the backup could not be read",
              {{"name", chosen->name}, {"error", report.error().message()}});
    result.exit_code = ExitCode::failed;
    return result;
  }
  const std::string where = fmt::format("{} on {}", util::escape_for_terminal(chosen->name), backend_name);
  const auto encryption = crypto::to_string(report->encryption);
  const std::string decrypted = encryption.empty() ? "" : fmt::format("decrypted ({}), ", encryption);
  switch (report->verdict) {
  case Verdict::intact:
    result.text = fmt::format("{}: intact ({}{} entries, {} files and {} bytes checked against the manifest)\n", where,
                              decrypted, report->entries, report->files_hashed, report->bytes_hashed);
    break;
  case Verdict::foreign:
    log.warn("The archive has no volback manifest: only its readability was checked", {{"name", chosen->name}});
    result.text = fmt::format("{}: readable, no manifest ({} entries)\n", where, report->entries);
    break;
  case Verdict::corrupt:
    result.text = fmt::format("{}: CORRUPT ({} problems)\n", where, report->problems.size() + report->more_problems);
    for (const auto& problem : report->problems) {
      result.text += fmt::format("  {}\n", util::escape_for_terminal(problem));  // entry names are the archive's
    }
    if (report->more_problems > 0) {
      result.text += fmt::format("  ... and {} more\n", report->more_problems);
    }
    log.error("The backup is corrupt",
              {{"name", chosen->name}, {"problems", std::to_string(report->problems.size() + report->more_problems)}});
    result.exit_code = ExitCode::failed;
    break;
  }
  return result;
}

}  // namespace volback::app
