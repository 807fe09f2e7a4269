#include <volback/app/commands/healthcheck_command.hpp>

#include <map>
#include <vector>

#include <volback/app/daemon/health.hpp>
#include <volback/app/run/run_history.hpp>

namespace volback::app {

ExitCode run_healthcheck(const std::string& state_dir, std::chrono::nanoseconds grace, const util::Clock& clock,
                         std::string& output) {
  auto daemon = read_daemon_state(state_dir);
  if (!daemon) {
    output += fmt::format("unhealthy: {}\n", daemon.error().message());
    return ExitCode::failed;
  }
  std::map<std::string, std::vector<RunRecord>> runs;
  for (const auto& schedule : daemon->schedules) {
    runs[schedule.key] = read_run_records(state_dir, schedule.key);
    runs[drill_history_key(schedule.key)] = read_run_records(state_dir, drill_history_key(schedule.key));
  }
  const auto report = judge_health(*daemon, runs, clock.now(), grace);
  output += report.healthy ? "healthy\n" : "unhealthy\n";
  for (const auto& line : report.lines) {
    output += "  " + line + "\n";
  }
  return report.healthy ? ExitCode::ok : ExitCode::failed;
}

}  // namespace volback::app
