#pragma once
// The one table of `volback`'s commands. A verb is its name, one line of help, and
// `define`, which adds the command's options to its CLI11 subcommand and returns what
// runs it once the arguments are parsed. Each verb lives in a file of its own
// (verb_<name>.cpp); adding one is a file and a line in verbs.cpp. Invoked as `backup`,
// volback speaks offen's interface (offen_args.hpp) and runs the same verbs.

#include <functional>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include <volback/app/run/exit_code.hpp>
#include <volback/cli/runtime.hpp>

namespace volback::cli {

using VerbRunner = std::function<int(Runtime& runtime)>;

struct Verb {
  std::string_view name;
  std::string_view help;
  std::function<VerbRunner(CLI::App& command)> define;
};

// Every verb, in the order `volback --help` lists them.
const std::vector<Verb>& verbs();

// The runner of verb `name` with its options at their defaults (offen's entry points).
VerbRunner default_runner(std::string_view name);

// The verbs, one function each (verb_<name>.cpp).
Verb backup_verb();
Verb daemon_verb();
Verb prune_verb();
Verb list_verb();
Verb verify_verb();
Verb restore_verb();
Verb print_config_verb();
Verb check_config_verb();
Verb healthcheck_verb();

// Prints `text` on stdout (a verb's result; logs go to stderr).
void print(const std::string& text);

// The exit code as the process returns it.
int as_int(app::ExitCode code);

}  // namespace volback::cli
