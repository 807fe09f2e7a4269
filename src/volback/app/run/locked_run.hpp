#pragma once
// The one entry of every command that changes something: backup, prune, an in-place
// restore (and the drill and repository commands to come). In this order it
//   1. takes the global run lock (VOLBACK_LOCK_FILE), waiting up to
//      BACKUP_LOCK_TIMEOUT: no two such runs ever overlap;
//   2. repairs what a restore killed midway left (restore_recovery.hpp), before anything
//      reads a volume;
//   3. brings back what a killed run left stopped (Quiescer::recover, the crash journal),
//      while the containers of that restore are still down;
// and only then runs the command's body, still under the lock.

#include <functional>
#include <string>

#include <volback/app/config/run_settings.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Runs `body` under the lock after the repairs. Errors: the lock's (a timeout is
// transient, another user's lock permanent), the Quiescer's recovery error (nothing was
// run: the state of what a killed run stopped is unknown), and `body`'s own.
util::Result<void> run_locked(const RunSettings& run, Quiescer& quiescer, util::Logger& log,
                              const util::CancelToken& cancel, const std::function<util::Result<void>()>& body);

}  // namespace volback::app
