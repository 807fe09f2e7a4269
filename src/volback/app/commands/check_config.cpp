#include <volback/app/commands/check_config.hpp>

#include <fmt/format.h>

#include <volback/app/commands/reachability.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/schedule/cron.hpp>
#include <volback/util/redact.hpp>

namespace volback::app {

namespace {

// The warnings of a schedule (errors are reported separately).
std::vector<std::string> schedule_warnings(const ScheduleConfig& schedule, const util::Clock& clock) {
  std::vector<std::string> warnings;
  auto parsed = parse_schedule_settings(schedule.settings(), zone_or_default(schedule.settings()));
  if (parsed && schedule::never_fires(parsed->cron, clock.now())) {
    warnings.push_back(
      fmt::format("BACKUP_CRON_EXPRESSION {} never fires; this schedule will never run", parsed->cron.expression()));
  }
  return warnings;
}

}  // namespace

RenderedConfig render_all_schedules(const util::ConfigSource& environment, const util::Clock& clock) {
  auto schedules = load_schedules(environment);
  if (!schedules) {
    return {fmt::format("error: {}\n", util::redact_url_userinfo(schedules.error().message())), ExitCode::usage};
  }
  RenderedConfig out{{}, ExitCode::ok};
  for (const auto& broken : schedules->unreadable) {
    if (!out.text.empty()) {
      out.text += '\n';
    }
    out.text += fmt::format("source={}\nerror: {}\n", broken.path, util::redact_url_userinfo(broken.error.message()));
    out.exit_code = ExitCode::usage;
  }
  for (const auto& schedule : schedules->readable) {
    auto rendered = render_config(schedule.settings(), schedule.source());
    // Warnings go right after the "source=" line, as offen prints them.
    const auto first_line = rendered.text.find('\n') + 1;
    std::string warnings;
    for (const auto& warning : schedule_warnings(schedule, clock)) {
      warnings += fmt::format("warning: {}\n", warning);
    }
    rendered.text.insert(first_line, warnings);
    if (auto cron = parse_schedule_settings(schedule.settings(), util::TimeZone::utc()); !cron) {
      rendered.text += fmt::format("error: {}\n", util::redact_url_userinfo(cron.error().message()));
      rendered.exit_code = ExitCode::usage;
    }
    if (!out.text.empty()) {
      out.text += '\n';
    }
    out.text += rendered.text;
    out.exit_code = worst(out.exit_code, rendered.exit_code);
  }
  return out;
}

ExitCode run_check_config(const util::ConfigSource& environment, const CommandDeps& deps, std::string& output) {
  const auto& clock = deps.clock;
  auto schedules = load_schedules(environment);
  if (!schedules) {
    output += fmt::format("error: {}\n", util::redact_url_userinfo(schedules.error().message()));
    return ExitCode::usage;
  }
  std::vector<BackupConfig> configs;
  bool all_valid = schedules->unreadable.empty();
  for (const auto& broken : schedules->unreadable) {
    output += fmt::format("schedule {}: invalid: {}\n", broken.path, util::redact_url_userinfo(broken.error.message()));
  }
  for (const auto& schedule : schedules->readable) {
    auto config = load_backup_config(schedule.settings());
    if (!config) {
      output += fmt::format("schedule {}: invalid: {}\n", schedule.source(),
                            util::redact_url_userinfo(config.error().message()));
      all_valid = false;
      continue;
    }
    auto parsed = parse_schedule_settings(schedule.settings(), config->run.zone);
    if (!parsed) {
      output += fmt::format("schedule {}: invalid: {}\n", schedule.source(),
                            util::redact_url_userinfo(parsed.error().message()));
      all_valid = false;
      continue;
    }
    const auto next = schedule::next_fire(parsed->cron, clock.now());
    output +=
      fmt::format("schedule {}: valid; {} {}\n", schedule.source(), parsed->cron.expression(),
                  next ? "next fires " + util::format_rfc3339(*next, parsed->cron.zone()) : std::string("never fires"));
    configs.push_back(std::move(*config));
  }
  if (!all_valid) {
    return ExitCode::usage;
  }
  bool all_ok = true;
  for (const auto& config : configs) {
    for (const auto& result : check_reachability(config, deps)) {
      all_ok = all_ok && result.ok;
      output += util::redact_url_userinfo(fmt::format("check {}: {}{}\n", result.name, result.ok ? "ok" : "FAILED",
                                                      result.detail.empty() ? "" : ": " + result.detail));
    }
  }
  return all_ok ? ExitCode::ok : ExitCode::failed;
}

}  // namespace volback::app
