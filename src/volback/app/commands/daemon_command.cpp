#include <volback/app/commands/daemon_command.hpp>

#include <volback/app/commands/drill_command.hpp>

#include <volback/app/commands/backup_command.hpp>
#include <volback/app/commands/reachability.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/config/monitor_config.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/daemon/daemon.hpp>
#include <volback/app/monitor/metrics.hpp>
#include <volback/app/monitor/metrics_server.hpp>

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
  // VOLBACK_METRICS_LISTEN (the environment's; a daemon has one endpoint): /metrics serves
  // the last run of every schedule.
  auto listen = env_settings.get_optional(k_metrics_listen);
  std::optional<ListenAddress> address;
  if (listen && *listen) {
    auto parsed = parse_listen_address(**listen);
    if (!parsed) {
      deps.log.error(parsed.error().message());
      return ExitCode::usage;
    }
    address = *parsed;
  } else if (!listen) {
    deps.log.error(listen.error().message());
    return ExitCode::usage;
  }
  MetricsStore metrics;
  std::unique_ptr<MetricsServer> server;
  if (address) {
    auto started = MetricsServer::start(
      *address, [&metrics] { return metrics.render(); }, deps.log);
    if (!started) {
      deps.log.error("Serving /metrics failed", {{"error", started.error().message()}});
      return ExitCode::failed;
    }
    server = std::move(*started);
    deps.log.info("Serving Prometheus metrics at /metrics", {{"port", server->port()}});
  }
  MetricsStore* store = address ? &metrics : nullptr;
  const DaemonDeps daemon{
    deps.log,
    deps.clock,
    deps.cancel,
    [&deps, store](const ScheduleConfig& schedule) { return run_backup(schedule, deps, {}, store); },
    [&deps](const BackupConfig& config) { return check_reachability(config, deps); },
    [&deps, store](const ScheduleConfig& schedule, const ScheduleOverdue& overdue) {
      report_overdue(schedule, overdue, deps, store);
    },
    [&deps, store](const ScheduleConfig& schedule) { return run_drill(schedule, deps, {}, store).report; }};
  return run_daemon(*schedules, *state_dir, daemon);
}

}  // namespace volback::app
