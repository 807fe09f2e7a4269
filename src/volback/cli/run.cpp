#include <volback/cli/run.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <volback/app/backup_command.hpp>
#include <volback/app/backup_config.hpp>
#include <volback/app/exit_code.hpp>
#include <volback/app/print_config.hpp>
#include <volback/app/quiescer.hpp>
#include <volback/app/run_settings.hpp>
#include <volback/app/version.hpp>
#include <volback/cli/environment.hpp>
#include <volback/cli/offen_args.hpp>
#include <volback/cli/signals.hpp>
#include <volback/util/logging.hpp>

namespace volback::cli {

namespace {

enum class Command { backup, print_config, daemon, none };

// What every command needs, built from the real process state.
class Runtime {
public:
  Runtime()
    : m_env(environment_source()),
      m_settings({&m_env}),
      m_log(stderr, app::log_level_or_default(m_settings), m_clock, app::zone_or_default(m_settings)) {}

  const util::Settings& settings() const { return m_settings; }
  util::Logger& log() { return m_log; }
  const util::Clock& clock() const { return m_clock; }

private:
  util::MapSource m_env;
  util::Settings m_settings;
  util::SystemClock m_clock;
  util::SlogTextLogger m_log;
};

int as_int(app::ExitCode code) {
  return static_cast<int>(code);
}

void warn_if_docker_reachable(const util::Settings& settings, util::Logger& log) {
  std::error_code ec;
  if (std::filesystem::exists("/var/run/docker.sock", ec) || settings.raw("DOCKER_HOST")) {
    log.warn("Docker is reachable, but this volback build does not stop labelled containers yet; "
             "their volumes are read while they run");
  }
}

int run_backup(Runtime& runtime) {
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  app::NoQuiescer quiescer;
  warn_if_docker_reachable(runtime.settings(), runtime.log());
  return as_int(app::run_backup_command(runtime.settings(), runtime.log(), runtime.clock(), cancel, quiescer));
}

int run_print_config(Runtime& runtime) {
  const auto rendered = app::render_config(runtime.settings(), "from environment");
  std::fwrite(rendered.text.data(), 1, rendered.text.size(), stdout);
  return as_int(rendered.exit_code);
}

int run_daemon(Runtime& runtime) {
  runtime.log().error("the scheduler (daemon mode) is not available in this volback build yet; "
                      "run `backup` from your host's cron, or `docker exec <container> backup`");
  return as_int(app::ExitCode::usage);
}

int dispatch(Command command) {
  Runtime runtime;
  switch (command) {
  case Command::backup: return run_backup(runtime);
  case Command::print_config: return run_print_config(runtime);
  case Command::daemon: return run_daemon(runtime);
  case Command::none: break;
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
  cli.require_subcommand(1);

  Command command = Command::none;
  cli.add_subcommand("backup", "Run one backup now, configured by the environment")
    ->footer(app::describe_backup_settings() + "\n" + std::string(app::exit_code_table()))
    ->callback([&command] { command = Command::backup; });
  cli.add_subcommand("print-config", "Print the configuration a backup would use (secrets shown as ***)")
    ->callback([&command] { command = Command::print_config; });
  cli.add_subcommand("daemon", "Run the scheduler (not available yet)")
    ->callback([&command] { command = Command::daemon; });

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
  return dispatch(command);
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
