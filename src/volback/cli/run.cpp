#include <volback/cli/run.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <volback/app/commands/backup_command.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/commands/print_config.hpp>
#include <volback/app/commands/prune_command.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/containers/exec_phase_hooks.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/version.hpp>
#include <volback/cli/archive_commands.hpp>
#include <volback/cli/environment.hpp>
#include <volback/cli/make_logger.hpp>
#include <volback/cli/offen_args.hpp>
#include <volback/cli/schedule_commands.hpp>
#include <volback/cli/signals.hpp>
#include <volback/util/logging.hpp>

namespace volback::cli {

namespace {

enum class Command { backup, backup_file, print_config, check_config, healthcheck, daemon, prune, none };

// What every command needs, built from the real process state.
class Runtime {
public:
  Runtime()
    : m_env(environment_source()),
      m_settings({&m_env}),
      m_log(make_logger(m_settings, m_clock)) {}

  const util::Settings& settings() const { return m_settings; }
  const util::ConfigSource& environment() const { return m_env; }
  util::Logger& log() { return *m_log; }
  const util::Clock& clock() const { return m_clock; }

private:
  util::MapSource m_env;
  util::Settings m_settings;
  util::SystemClock m_clock;
  std::unique_ptr<util::Logger> m_log;
};

int as_int(app::ExitCode code) {
  return static_cast<int>(code);
}

int run_backup(Runtime& runtime) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  const auto quiescer = app::make_quiescer(runtime.settings(), runtime.log(), cancel);
  // EXEC_FORWARD_OUTPUT: a command's stderr, then its stdout, as offen copies them.
  const auto hooks = app::make_phase_hooks(runtime.settings(), runtime.log(), [](std::string_view out, std::string_view err) {
    std::fwrite(err.data(), 1, err.size(), stderr);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  });
  return as_int(
    app::run_backup_command(runtime.settings(), runtime.log(), runtime.clock(), cancel, *quiescer, hooks.get()));
}

// With `config_file`, the settings of that conf.d schedule (over the environment), as
// `backup --config` uses them.
int run_prune(Runtime& runtime, const app::PruneRequest& request, const std::string& config_file) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  std::optional<app::ScheduleConfig> schedule;
  if (!config_file.empty()) {
    auto loaded = app::load_confd_file(runtime.environment(), config_file);
    if (!loaded) {
      runtime.log().error(loaded.error().message());
      return as_int(app::ExitCode::usage);
    }
    schedule.emplace(std::move(*loaded));
  }
  const util::Settings& settings = schedule ? schedule->settings() : runtime.settings();
  const auto result = app::run_prune_command(settings, runtime.log(), runtime.clock(), cancel, request);
  std::fputs(result.text.c_str(), stdout);
  return as_int(result.exit_code);
}

int dispatch(Command command, const std::string& config_file = {}, const app::PruneRequest& prune = {}) {
  Runtime runtime;
  switch (command) {
  case Command::prune: return run_prune(runtime, prune, config_file);
  case Command::backup: return run_backup(runtime);
  case Command::backup_file:
    return run_backup_file_command(runtime.environment(), config_file, runtime.log(), runtime.clock());
  case Command::print_config: return run_print_config_command(runtime.environment(), runtime.clock());
  case Command::check_config:
    return run_check_config_command(runtime.environment(), runtime.log(), runtime.clock());
  case Command::healthcheck: return run_healthcheck_command(runtime.environment(), runtime.clock());
  case Command::daemon:
  case Command::none: return run_daemon_command(runtime.environment(), runtime.log(), runtime.clock());
  }
  return as_int(app::ExitCode::usage);
}

int run_as_offen(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  auto invocation = parse_offen_args(args);
  if (!invocation) {
    std::fprintf(stderr, "backup: %s\n%s", invocation.error().message().c_str(), std::string(offen_usage()).c_str());
    return as_int(app::ExitCode::usage);
  }
  for (const auto& warning : invocation->warnings) {
    std::fprintf(stderr, "backup: warning: %s\n", warning.c_str());
  }
  switch (invocation->command) {
  case OffenCommand::help: std::fputs(std::string(offen_usage()).c_str(), stdout); return 0;
  case OffenCommand::backup: return dispatch(Command::backup);
  case OffenCommand::print_config: return dispatch(Command::print_config);
  case OffenCommand::daemon: return dispatch(Command::daemon);
  }
  return as_int(app::ExitCode::usage);
}

int run_as_volback(int argc, char** argv) {
  CLI::App cli{"volback: backs up Docker volumes to local and remote storage, "
               "a drop-in for offen/docker-volume-backup.\n"
               "Configuration comes from environment variables with offen's names (see docs/)."};
  cli.name("volback");
  cli.footer(std::string(app::exit_code_table()));
  cli.set_version_flag("--version", std::string(app::version()));
  cli.require_subcommand(0, 1);  // no command: the daemon

  Command command = Command::none;
  std::string config_file;
  auto* backup = cli.add_subcommand("backup", "Run one backup now, configured by the environment")
    ->footer(app::describe_backup_settings() + "\n" + std::string(app::exit_code_table()))
    ->callback([&command, &config_file] { command = config_file.empty() ? Command::backup : Command::backup_file; });
  backup->add_option("--config", config_file, "Run the schedule of this conf.d file (over the environment)");
  cli.add_subcommand("print-config", "Print every schedule's configuration (secrets shown as ***)")
    ->callback([&command] { command = Command::print_config; });
  cli.add_subcommand("check-config", "Validate every schedule, then check read-only that storage can be reached")
    ->callback([&command] { command = Command::check_config; });
  cli.add_subcommand("daemon", "Run the scheduler: every schedule on its cron expression (the default)")
    ->callback([&command] { command = Command::daemon; });
  app::PruneRequest prune_request;
  std::string prune_at;
  auto* prune = cli.add_subcommand("prune", "Apply the retention policy now, as a backup run would")
    ->callback([&command, &prune_request, &prune_at] {
      command = Command::prune;
      if (!prune_at.empty()) {
        prune_request.at = prune_at;
      }
    });
  prune->add_flag("--dry-run", prune_request.dry_run, "Print what would be deleted, delete nothing");
  prune->add_option("--at", prune_at, "Evaluate the policy at this RFC 3339 time (e.g. 2026-12-10T03:00:00Z)");
  prune->add_option("--config", config_file, "Use the settings of this conf.d file (over the environment)");
  cli.add_subcommand("healthcheck", "Exit 0 unless a schedule is overdue or its last run failed")
    ->callback([&command] { command = Command::healthcheck; });
  ArchiveCommands archive_commands;
  add_archive_commands(cli, archive_commands);

  const auto is_command = [&cli](std::string_view word) {
    const auto commands = cli.get_subcommands([](CLI::App*) { return true; });
    return std::any_of(commands.begin(), commands.end(), [word](CLI::App* c) { return c->get_name() == word; });
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    std::fprintf(stderr, "volback: unknown command \"%s\"; run `volback --help` for the commands\n", argv[1]);
    return as_int(app::ExitCode::usage);
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : as_int(app::ExitCode::usage);
  }
  if (const auto code = run_chosen(archive_commands)) {
    return *code;
  }
  return dispatch(command, config_file, prune_request);
}

}  // namespace

int run(int argc, char** argv) {
  const std::string_view program = argc > 0 ? std::string_view(argv[0]) : std::string_view("volback");
  const auto slash = program.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? program : program.substr(slash + 1);
  if (name == "backup") {
    return run_as_offen(argc, argv);
  }
  return run_as_volback(argc, argv);
}

}  // namespace volback::cli
