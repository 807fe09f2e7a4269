#include <volback/app/commands/snapshots_command.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/restic/go_json.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/util/terminal_text.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

namespace {

std::string joined_for_terminal(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ",") + util::escape_for_terminal(item);
  }
  return out;
}

std::string snapshots_table(const std::vector<restic::StoredSnapshot>& snapshots, const util::TimeZone& zone) {
  std::string out = fmt::format("{:<8}  {:<25}  {:<20}  {:<20}  {}\n", "ID", "TIME", "HOST", "TAGS", "PATHS");
  for (const auto& [id, snapshot] : snapshots) {
    out += fmt::format("{:<8}  {:<25}  {:<20}  {:<20}  {}\n", id.short_hex(),
                       util::format_rfc3339(restic::time_point_of(snapshot.time), zone),
                       util::escape_for_terminal(snapshot.hostname), joined_for_terminal(snapshot.tags),
                       joined_for_terminal(snapshot.paths));
  }
  out += fmt::format("{} snapshots\n", snapshots.size());
  return out;
}

std::string snapshots_json(const std::vector<restic::StoredSnapshot>& snapshots) {
  // ordered: the snapshot's keys stay in restic's order, then id and short_id.
  auto array = nlohmann::ordered_json::array();
  for (const auto& [id, snapshot] : snapshots) {
    auto object = nlohmann::ordered_json::parse(restic::serialize_snapshot(snapshot));
    object["id"] = id.hex();
    object["short_id"] = id.short_hex();
    array.push_back(std::move(object));
  }
  return array.dump() + "\n";
}

}  // namespace

CommandOutput run_snapshots_command(const util::Settings& settings, const CommandDeps& deps,
                                    const SnapshotsRequest& request) {
  auto& log = deps.log;
  auto config = load_repository_config(settings);
  if (!config) {
    log.error(config.error().message());
    return {ExitCode::usage, ""};
  }
  auto opened = open_configured_repository(
    *config->repository, {log, deps.clock, deps.cancel, config->run.state_dir, config->run.spool_dir});
  if (!opened) {
    log.error(opened.error().message());
    return {ExitCode::failed, ""};
  }
  auto snapshots = restic::load_snapshots(opened->repository);
  if (!snapshots) {
    log.error("Cannot read the snapshots", {{"error", snapshots.error().message()}});
    return {ExitCode::failed, ""};
  }
  std::sort(snapshots->begin(), snapshots->end(), [](const auto& a, const auto& b) {
    const auto at = restic::time_point_of(a.snapshot.time);
    const auto bt = restic::time_point_of(b.snapshot.time);
    return at != bt ? at < bt : a.id.hex() < b.id.hex();
  });
  return {ExitCode::ok, request.json ? snapshots_json(*snapshots) : snapshots_table(*snapshots, config->run.zone)};
}

}  // namespace volback::app
