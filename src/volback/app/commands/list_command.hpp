#pragma once
// `volback list [--json]`: the backups on every configured backend, newest first, with the
// backends holding each; a backup missing from some backend is flagged
// (restore/list_backups.hpp collects and formats them).

#include <string>

#include <volback/app/commands/command_output.hpp>
#include <volback/app/commands/host.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct ListRequest {
  bool json = false;
};

using ListCommandResult = CommandOutput;

// Validates the configuration (exit 2 when invalid), lists every backend (exit 1 when
// one fails; the others are still listed) and formats the merged list. Takes no lock:
// listing is read-only.
ListCommandResult run_list_command(const util::Settings& settings, const CommandDeps& deps, const ListRequest& request);

}  // namespace volback::app
