#include <volback/cli/run.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
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

int run_verb(const VerbRunner& runner) {
  Runtime runtime;
  return runner(runtime);
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
  case OffenCommand::backup: return run_verb(default_runner("backup"));
  case OffenCommand::print_config: return run_verb(default_runner("print-config"));
  case OffenCommand::daemon: return run_verb(default_runner("daemon"));
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

  std::optional<VerbRunner> chosen;
  for (const auto& verb : verbs()) {
    auto* command = cli.add_subcommand(std::string(verb.name), std::string(verb.help));
    auto runner = verb.define(*command);
    command->callback([&chosen, runner] { chosen = runner; });
  }
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(verbs().begin(), verbs().end(), [&](const Verb& verb) { return verb.name == argv[1]; })) {
    std::fprintf(stderr, "volback: unknown command \"%s\"; run `volback --help` for the commands\n", argv[1]);
    return as_int(app::ExitCode::usage);
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : as_int(app::ExitCode::usage);
  }
  return run_verb(chosen ? *chosen : default_runner("daemon"));
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
