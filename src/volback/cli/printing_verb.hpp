#pragma once
// The shape shared by the verbs that read the settings (the environment and --config FILE,
// BACKUP_SOURCES ignored: ReadingSettings), run one command without containers and print
// its result on stdout: list, init, snapshots, check.

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <volback/app/commands/command_output.hpp>
#include <volback/app/commands/host.hpp>
#include <volback/cli/verbs.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

using PrintingCommand = std::function<app::CommandOutput(const util::Settings& settings, const app::CommandDeps& deps)>;

// Adds `--config FILE` to `command` and returns the runner of `run`: exit 2 when the
// conf.d file cannot be loaded, else `run`'s text printed and its exit code. `run` is
// called once the arguments are parsed.
VerbRunner printing_verb(CLI::App& command, PrintingCommand run);

}  // namespace volback::cli
