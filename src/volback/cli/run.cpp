#include <volback/cli/run.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include <volback/app/config/version.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/cli/offen_args.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

namespace {

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
  case OffenCommand::backup: return run_default_verb("backup");
  case OffenCommand::print_config: return run_default_verb("print-config");
  case OffenCommand::daemon: return run_default_verb("daemon");
  }
  return as_int(app::ExitCode::usage);
}

int run_as_volback(int argc, char** argv) {
  CLI::App cli{
    "volback: backs up Docker volumes to local and remote storage, "
    "a drop-in for offen/docker-volume-backup.\n"
    "Configuration comes from environment variables with offen's names (see docs/)."};
  cli.name("volback");
  cli.footer(std::string(app::exit_code_table()));
  cli.set_version_flag("--version", std::string(app::version()));
  cli.require_subcommand(0, 1);  // no command: the daemon

  const Verb* chosen = nullptr;
  VerbRunner chosen_runner;
  for (const auto& verb : verbs()) {
    auto* command = cli.add_subcommand(std::string(verb.name), std::string(verb.help));
    auto runner = verb.define(*command);
    command->callback([&chosen, &chosen_runner, &verb, runner] {
      chosen = &verb;
      chosen_runner = runner;
    });
  }
  if (argc > 1 && argv[1][0] != '-' && find_verb(argv[1]) == nullptr) {
    std::fprintf(stderr, "volback: unknown command \"%s\"; run `volback --help` for the commands\n", argv[1]);
    return as_int(app::ExitCode::usage);
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : as_int(app::ExitCode::usage);
  }
  if (chosen == nullptr) {
    return run_default_verb("daemon");
  }
  return run_verb(chosen->logs, chosen_runner);
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
