#pragma once
// The one table of `volback`'s commands. A verb is its name, one line of help, and
// `define`, which adds the command's options to its CLI11 subcommand and returns what
// runs it once the arguments are parsed, and where it logs. Each verb lives in a file of its own
// (verb_<name>.cpp); adding one is a file and a line in verbs.cpp. Invoked as `backup`,
// volback speaks offen's interface (offen_args.hpp) and runs the same verbs.

#include <functional>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include <volback/app/run/exit_code.hpp>
#include <volback/cli/make_logger.hpp>
#include <volback/cli/runtime.hpp>

namespace volback::cli {

using VerbRunner = std::function<int(Runtime& runtime)>;

struct Verb {
  std::string_view name;
  std::string_view help;
  std::function<VerbRunner(CLI::App& command)> define;
  // stdout for the verbs that run backups (backup, daemon), as offen logs; stderr for
  // the verbs whose stdout is their result.
  LogStream logs = LogStream::err;
};

// Every verb, in the order `volback --help` lists them.
const std::vector<Verb>& verbs();

// The verb called `name`; nullptr if there is none.
const Verb* find_verb(std::string_view name);

// Runs `runner` with a Runtime whose logger writes to `logs`; returns its exit code.
int run_verb(LogStream logs, const VerbRunner& runner);

// Runs verb `name` with its options at their defaults (offen's entry points, and the
// daemon when `volback` is given no command); exit code 2 for an unknown name.
int run_default_verb(std::string_view name);

// The verbs, one function each (verb_<name>.cpp).
Verb backup_verb();
Verb daemon_verb();
Verb prune_verb();
Verb list_verb();
Verb verify_verb();
Verb restore_verb();
Verb drill_verb();
Verb init_verb();
Verb snapshots_verb();
Verb check_verb();
Verb print_config_verb();
Verb check_config_verb();
Verb healthcheck_verb();

// Prints `text` on stdout (a verb's result; such verbs log to stderr).
void print(const std::string& text);

// The exit code as the process returns it.
int as_int(app::ExitCode code);

}  // namespace volback::cli
