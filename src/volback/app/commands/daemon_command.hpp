#pragma once
// `volback daemon` (also `backup -foreground`, and `volback` without a command): loads
// every schedule (conf.d files, or the environment alone) and runs the scheduler
// (daemon/daemon.hpp), each run being run_backup (backup_command.hpp) and an overdue
// schedule going to its monitors through report_overdue.

#include <volback/app/commands/host.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// Returns usage when a schedule is invalid, ok once deps.cancel fired.
ExitCode run_daemon_command(const util::ConfigSource& environment, const CommandDeps& deps);

}  // namespace volback::app
