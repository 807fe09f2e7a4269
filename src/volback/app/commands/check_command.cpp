#include <volback/app/commands/check_command.hpp>

#include <charconv>

#include <fmt/format.h>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/restic/repository_check.hpp>
#include <volback/restic/repository_lock.hpp>
#include <volback/util/terminal_text.hpp>

namespace volback::app {

util::Result<double> parse_subset(std::string_view text) {
  const auto bad = [&] {
    return util::Error(util::ErrorKind::invalid_argument,
                       fmt::format("--read-data-subset {:?}: give a percentage of the packs, e.g. 10%", text));
  };
  if (text.empty() || text.back() != '%') {
    return util::fail(bad());
  }
  double percent = 0;
  const auto number = text.substr(0, text.size() - 1);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), percent);
  if (error != std::errc() || end != number.data() + number.size() || !(percent > 0 && percent <= 100)) {
    return util::fail(bad());
  }
  return percent / 100;
}

CommandOutput run_check_command(const util::Settings& settings, const CommandDeps& deps, const CheckRequest& request) {
  auto& log = deps.log;
  restic::CheckOptions options{.read_data = request.read_data || request.read_data_subset.has_value()};
  if (request.read_data_subset) {
    auto fraction = parse_subset(*request.read_data_subset);
    if (!fraction) {
      log.error(fraction.error().message());
      return {ExitCode::usage, ""};
    }
    options.subset_fraction = *fraction;
  }
  auto config = load_repository_config(settings);
  if (!config) {
    log.error(config.error().message());
    return {ExitCode::usage, ""};
  }
  const auto& repository_settings = *config->repository;
  auto opened = open_configured_repository(
    repository_settings, {log, deps.clock, deps.cancel, config->run.state_dir, config->run.spool_dir});
  if (!opened) {
    log.error(opened.error().message());
    return {ExitCode::failed, ""};
  }
  auto lock = restic::RepositoryLock::acquire(
    opened->repository, {.exclusive = false, .wait = repository_settings.lock_wait, .clock = &deps.clock}, deps.cancel);
  if (!lock) {
    log.error("Cannot lock the repository", {{"error", lock.error().message()}});
    return {ExitCode::failed, ""};
  }
  log.info(fmt::format("Checking the repository {}{}", repository_settings.location.describe,
                       options.read_data ? " and reading its data" : ""));
  const auto report = restic::check_repository(opened->repository, options, deps.cancel);
  (void)lock->release();
  if (!report) {
    log.error("The check could not run", {{"error", report.error().message()}});
    return {ExitCode::failed, ""};
  }
  CommandOutput out;
  for (const auto& warning : report->warnings) {
    out.text += "warning: " + util::escape_for_terminal(warning) + "\n";
  }
  for (const auto& problem : report->problems) {
    out.text += "error: " + util::escape_for_terminal(problem) + "\n";
  }
  if (report->problems_omitted > 0) {
    out.text += fmt::format("error: {} more problems\n", report->problems_omitted);
  }
  out.text += fmt::format("{}: {} snapshots, {} trees, {} index files, {} packs, {} blobs{}\n",
                          report->ok() ? "no errors were found" : "the repository has errors", report->snapshots,
                          report->trees, report->index_files, report->packs, report->blobs,
                          options.read_data ? fmt::format(", {} packs read", report->packs_read) : "");
  out.exit_code = report->ok() ? ExitCode::ok : ExitCode::failed;
  return out;
}

}  // namespace volback::app
