#include <volback/cli/schedule_commands.hpp>

#include <cstdio>

#include <fmt/format.h>

#include <volback/app/commands/check_config.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/daemon/daemon.hpp>
#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/daemon/health.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/app/daemon/scheduled_run.hpp>
#include <volback/cli/signals.hpp>

namespace volback::cli {

namespace {

int as_int(app::ExitCode code) {
  return static_cast<int>(code);
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int run_daemon_command(const util::ConfigSource& environment, util::Logger& log, const util::Clock& clock) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  auto schedules = app::load_schedules(environment);
  if (!schedules) {
    log.error(schedules.error().message());
    return as_int(app::ExitCode::usage);
  }
  const util::Settings env_settings({&environment});
  auto state_dir = env_settings.get_string(app::k_state_dir);
  if (!state_dir) {
    log.error(state_dir.error().message());
    return as_int(app::ExitCode::usage);
  }
  app::DaemonDeps deps{log, clock, cancel, [&log, &cancel](const util::Settings& settings) {
                         return app::make_quiescer(settings, log, cancel);
                       }};
  return as_int(app::run_daemon(*schedules, *state_dir, deps));
}

int run_backup_file_command(const util::ConfigSource& environment, const std::string& path, util::Logger& log,
                            const util::Clock& clock) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  auto schedule = app::load_confd_file(environment, path);
  if (!schedule) {
    log.error(schedule.error().message());
    return as_int(app::ExitCode::usage);
  }
  const auto quiescer = app::make_quiescer(schedule->settings(), log, cancel);
  return as_int(app::run_and_record(*schedule, {}, log, clock, cancel, *quiescer));
}

int run_print_config_command(const util::ConfigSource& environment, const util::Clock& clock) {
  const auto rendered = app::render_all_schedules(environment, clock);
  print(rendered.text);
  return as_int(rendered.exit_code);
}

int run_check_config_command(const util::ConfigSource& environment, util::Logger& log, const util::Clock& clock) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  std::string output;
  const auto code = app::run_check_config(environment, log, clock, cancel, output);
  print(output);
  return as_int(code);
}

int run_healthcheck_command(const util::ConfigSource& environment, const util::Clock& clock) {
  const util::Settings settings({&environment});
  auto state_dir = settings.get_string(app::k_state_dir);
  auto grace = app::parse_health_grace(settings);
  if (!state_dir || !grace) {
    print(fmt::format("unhealthy: {}\n", (!state_dir ? state_dir.error() : grace.error()).message()));
    return as_int(app::ExitCode::usage);
  }
  std::string output;
  const auto code = app::run_healthcheck(*state_dir, *grace, clock, output);
  print(output);
  return as_int(code);
}

}  // namespace volback::cli
