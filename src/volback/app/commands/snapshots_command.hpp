#pragma once
// `volback snapshots [--json]`: the snapshots of the repository RESTIC_REPOSITORY names,
// oldest first, as `restic snapshots` lists them: a table (short id, time in the
// schedule's zone, host, tags, paths) or restic's JSON (each snapshot's fields with "id"
// and "short_id"). Strings from the repository are escaped for the terminal in the table.

#include <volback/app/commands/command_output.hpp>
#include <volback/app/commands/host.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct SnapshotsRequest {
  bool json = false;
};

// Exit 2 for an invalid configuration or no RESTIC_REPOSITORY; 1 when the repository
// cannot be opened (missing, wrong password) or a snapshot cannot be read.
CommandOutput run_snapshots_command(const util::Settings& settings, const CommandDeps& deps,
                                    const SnapshotsRequest& request);

}  // namespace volback::app
