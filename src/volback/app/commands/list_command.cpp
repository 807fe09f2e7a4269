#include <volback/app/commands/list_command.hpp>

#include <vector>

#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/restore/list_backups.hpp>

namespace volback::app {

ListCommandResult run_list_command(const util::Settings& settings, const CommandDeps& deps,
                                   const ListRequest& request) {
  auto& log = deps.log;
  ListCommandResult result;
  auto config = load_storage_config(settings);
  if (!config) {
    log.error(config.error().message());
    result.exit_code = ExitCode::usage;
    return result;
  }
  auto backends = create_backends(*config, log, deps.clock, deps.cancel);
  std::vector<storage::Backend*> raw;
  for (const auto& backend : backends) {
    raw.push_back(backend.get());
  }
  const auto listed = collect_backups(raw, config->retention.prefix);
  for (const auto& error : listed.errors) {
    log.error("Listing backups failed", {{"error", error.message()}});
    result.exit_code = ExitCode::failed;
  }
  result.text =
    request.json ? format_listing_json(listed.backups) : format_listing_text(listed.backups, config->run.zone);
  return result;
}

}  // namespace volback::app
