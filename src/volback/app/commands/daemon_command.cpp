#include <volback/app/commands/daemon_command.hpp>

#include <volback/app/commands/backup_command.hpp>
#include <volback/app/commands/reachability.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/daemon/daemon.hpp>

namespace volback::app {

ExitCode run_daemon_command(const util::ConfigSource& environment, const CommandDeps& deps) {
  auto schedules = load_schedules(environment);
  if (!schedules) {
    deps.log.error(schedules.error().message());
    return ExitCode::usage;
  }
  const util::Settings env_settings({&environment});
  auto state_dir = env_settings.get_string(k_state_dir);
  if (!state_dir) {
    deps.log.error(state_dir.error().message());
    return ExitCode::usage;
  }
  const DaemonDeps daemon{deps.log, deps.clock, deps.cancel,
                          [&deps](const ScheduleConfig& schedule) { return run_backup(schedule, deps).exit_code; },
                          [&deps](const BackupConfig& config) { return check_reachability(config, deps); }};
  return run_daemon(*schedules, *state_dir, daemon);
}

}  // namespace volback::app
