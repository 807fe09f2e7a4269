#include <volback/app/daemon/scheduled_run.hpp>

#include <volback/app/config/run_settings.hpp>

namespace volback::app {

RunRecord make_run_record(std::string key, std::string source, const BackupReport& report, Cancelled cancelled) {
  RunRecord record;
  record.schedule = std::move(key);
  record.source = std::move(source);
  record.start = report.start;
  record.end = report.end;
  record.exit_code = static_cast<int>(report.exit_code);
  record.cancelled = cancelled == Cancelled::yes;
  if (report.outcome) {
    record.archive = report.outcome->archive_name;
    for (const auto& backend : report.outcome->backends) {
      record.backends.push_back(
        {backend.backend, !backend.error.has_value(), backend.error ? backend.error->message() : std::string{}});
    }
  }
  if (report.error) {
    record.error = report.error->message();
  }
  return record;
}

void record_run(const util::Settings& settings, const std::string& state_dir, std::string key, std::string source,
                const BackupReport& report, const util::CancelToken& cancel, util::Logger& log) {
  const Cancelled cancelled =
    cancel.requested() || (report.error && report.error->kind() == util::ErrorKind::cancelled) ? Cancelled::yes
                                                                                               : Cancelled::no;
  std::string dir = state_dir;
  if (dir.empty()) {
    dir = settings.get_string(k_state_dir).value_or(std::string(k_state_dir.default_value));
  }
  if (auto written = write_run_record(dir, make_run_record(std::move(key), std::move(source), report, cancelled));
      !written) {
    log.warn("Could not record the run in the state directory; healthcheck will not see it",
             {{"error", written.error().message()}});
  }
}

ExitCode run_and_record(const ScheduleConfig& schedule, const std::string& state_dir, util::Logger& log,
                        const util::Clock& clock, const util::CancelToken& cancel, Quiescer& quiescer) {
  const auto report = run_backup_report(schedule.settings(), log, clock, cancel, quiescer);
  record_run(schedule.settings(), state_dir, schedule.key(), schedule.source(), report, cancel, log);
  return report.exit_code;
}

}  // namespace volback::app
