#pragma once
// `volback init`: creates the restic-format repository RESTIC_REPOSITORY names (version 2,
// compression on, a new master key sealed with RESTIC_PASSWORD in one key file), as
// `restic init` does; a local repository's directory is made first (mode 0700).

#include <volback/app/commands/command_output.hpp>
#include <volback/app/commands/host.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// Exit 2 when the configuration is invalid or RESTIC_REPOSITORY unset; 1 when the
// repository exists already or cannot be written; 0 with "created restic repository <id>
// at <location>" on stdout.
CommandOutput run_init_command(const util::Settings& settings, const CommandDeps& deps);

}  // namespace volback::app
