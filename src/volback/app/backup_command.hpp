#pragma once
// `volback backup`: validate the configuration, run one backup, report, and map the
// result to an exit code.

#include <volback/app/exit_code.hpp>
#include <volback/app/quiescer.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// Loads and validates the configuration (exit 2 on any invalid value, before anything
// else happens), builds the storage backends, runs the BackupJob and logs its outcome.
// On exit code 0 only, it logs "Backup completed successfully" and offen's last line,
// "Finished running backup tasks.".
ExitCode run_backup_command(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                            const util::CancelToken& cancel, Quiescer& quiescer);

}  // namespace volback::app
