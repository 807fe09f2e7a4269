#pragma once
// Finishing what a restore that was killed midway (SIGKILL, power loss) left in a
// target directory. restore_archive's swap (restore_backup.hpp) goes through states
// that the directories it leaves tell apart:
//   - `.volback-restore-<id>` alone: it died before the swap; the target never
//     changed. The staging directory is removed.
//   - `.volback-old-<id>` without its complete-marker, beside the staging directory:
//     it died while moving the old entries out. They move back; staging is removed.
//   - `.volback-old-<id>` with its marker, beside the staging directory: the new
//     content had been verified and was moving in. The rest moves in (roll forward)
//     and the old entries are deleted.
//   - `.volback-old-<id>` without a staging directory: it died deleting the old
//     entries, which are deleted.
// Each repair is logged as a warning.

#include <string>

#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Repairs `dir`. Returns how many interrupted restores it repaired. Errors: the
// directory cannot be read or changed (e.g. mounted read-only); what could not be
// repaired stays as it was. REQUIRES: no restore into `dir` is running.
util::Result<std::size_t> recover_interrupted_restore(const std::string& dir, util::Logger& log);

// recover_interrupted_restore for every directory directly under `root` (the volumes
// under BACKUP_SOURCES). One that cannot be repaired is logged with the way to repair
// it; it never fails the caller. REQUIRES: the caller holds the global run lock.
void recover_interrupted_restores(const std::string& root, util::Logger& log);

}  // namespace volback::app
