#pragma once
// Finishing what a restore that was killed midway (SIGKILL, power loss) left in its
// targets, from its record in the state directory (restore_record.hpp). Only a record
// whose restore is no longer running is acted on, and in each of its targets only the
// directories it names by inode, through descriptors, never through a symlink. The swap
// of restore_backup.hpp goes through states that those directories tell apart:
//   - the staging directory alone: it died before the swap; the target never changed.
//     The staging directory is removed.
//   - the old-content directory without its complete-marker, beside the staging
//     directory: it died while moving the old entries out. They move back; staging is
//     removed.
//   - the old-content directory with its marker, beside the staging directory: the new
//     content had been verified and was moving in. The rest moves in (roll forward) and
//     the old entries are deleted.
//   - the old-content directory without a staging directory: it died deleting the old
//     entries, which are deleted.
// Each repair is logged as a warning. Names that look like restore leftovers but that no
// record accounts for (planted, or from a state directory that was lost) are left alone,
// with a warning.

#include <string>

#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Repairs every target of every record in `state_dir` whose restore is not running.
// A target that cannot be repaired (read-only here, say) keeps its record for the next
// run and is logged with the way to repair it. Returns how many restores were fully
// repaired. Never fails its caller: what it cannot do is logged.
std::size_t recover_interrupted_restores(const std::string& state_dir, util::Logger& log);

// Warns about each top-level name in the directories directly under `root` (the volumes
// under BACKUP_SOURCES) that looks like a restore's leftover (`.volback-restore-*`,
// `.volback-old-*`): no record accounts for it once recover_interrupted_restores ran, so
// it is treated as the volume's own content.
void warn_unrecorded_leftovers(const std::string& root, util::Logger& log);

}  // namespace volback::app
